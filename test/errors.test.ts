import { describe, expect, it } from 'vitest';
import { PkiError, isPkiError, jsonPointer, jsonPointerToDotted } from '../src/errors.js';

describe('PkiError', () => {
  it('prints file, dotted path, message and hint on one line', () => {
    const error = new PkiError('UNKNOWN_USAGE', 'unknown usage "sever auth"', {
      file: 'ca-config.json',
      path: '/signing/profiles/peer/usages/2',
      hint: 'did you mean "server auth"?',
    });
    expect(error.describe()).toBe(
      'ca-config.json: signing.profiles.peer.usages[2]: unknown usage "sever auth"; did you mean "server auth"?',
    );
  });

  it('keeps the cause', () => {
    const cause = new Error('asn1 error');
    expect(new PkiError('INVALID_CSR', 'bad', { cause }).cause).toBe(cause);
  });

  it('is told apart from other errors', () => {
    expect(isPkiError(new PkiError('IO', 'x'))).toBe(true);
    expect(isPkiError(new Error('x'))).toBe(false);
  });

  it('gains a file with inFile, but never overrides one it has', () => {
    const bare = new PkiError('INVALID_HOST', 'bad host', { path: '/hosts/0', hint: 'h' });
    const located = bare.inFile('etcd1-csr.json');
    expect([located.file, located.path, located.hint, located.code]).toEqual(['etcd1-csr.json', '/hosts/0', 'h', 'INVALID_HOST']);
    expect(located.inFile('other.json').file).toBe('etcd1-csr.json');
  });
});

describe('JSON pointers', () => {
  it.each([
    ['', ''],
    ['/signing/profiles/peer/usages/2', 'signing.profiles.peer.usages[2]'],
    ['/names/0/OU', 'names[0].OU'],
    ['/signing/profiles/etcd peer/expiry', 'signing.profiles["etcd peer"].expiry'],
    ['/auth_keys/a~1b/key', 'auth_keys["a/b"].key'],
  ])('renders %j as %j', (pointer, dotted) => {
    expect(jsonPointerToDotted(pointer)).toBe(dotted);
  });

  it('escapes "~" and "/" in segments (RFC 6901)', () => {
    expect(jsonPointer('signing', 'profiles', 'a/b~c', 0)).toBe('/signing/profiles/a~1b~0c/0');
  });
});
