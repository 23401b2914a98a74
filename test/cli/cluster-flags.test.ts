import { describe, expect, it } from 'vitest';
import { applyClusterFlags, parseMemberFlag, parseSubjectFlag } from '../../src/cli/cluster-flags.js';
import { expectPkiErrorSync } from '../support/errors.js';

describe('parseMemberFlag', () => {
  it.each([
    ['etcd1=192.168.0.91', { name: 'etcd1', hosts: ['192.168.0.91'] }],
    ['etcd1=192.168.0.91,etcd1.example.com', { name: 'etcd1', hosts: ['192.168.0.91', 'etcd1.example.com'] }],
    ['etcd1=192.168.0.91, 10.0.0.1 ,', { name: 'etcd1', hosts: ['192.168.0.91', '10.0.0.1'] }],
  ])('reads %s', (value, expected) => expect(parseMemberFlag(value)).toEqual(expected));

  it.each(['etcd1', '=192.168.0.91', 'etcd1=', 'etcd1=,'])('refuses %j with the expected form', (value) => {
    expectPkiErrorSync(() => parseMemberFlag(value), { code: 'USAGE', message: 'NAME=IP', hint: 'etcd1=192.168.0.91' });
  });
});

describe('parseSubjectFlag', () => {
  it('reads cfssl names, a repeated attribute starting another entry', () => {
    expect(parseSubjectFlag('C=US,ST=San Francisco,L=CA,O=Example,O=Other')).toEqual([
      { C: 'US', ST: 'San Francisco', L: 'CA', O: 'Example' },
      { O: 'Other' },
    ]);
  });
  it('refuses an unknown attribute with did-you-mean', () => {
    expectPkiErrorSync(() => parseSubjectFlag('C=US,0U=x'), { code: 'USAGE', message: '"0U=x"', hint: 'did you mean "OU"?' });
  });
});

describe('applyClusterFlags', () => {
  const base = { members: [{ name: 'a', hosts: ['10.0.0.1'] }], expiry: { ca: '1h' }, localhost: true };
  it('replaces only what is given', () => {
    expect(applyClusterFlags(base, {})).toEqual(base);
    expect(
      applyClusterFlags(base, { token: 't', pkiDir: '/p/{name}', serverExpiry: '2h', localhost: false, keyAlgo: 'ecdsa', caCn: 'CA' }),
    ).toEqual({
      ...base,
      token: 't',
      pkiDir: '/p/{name}',
      expiry: { ca: '1h', server: '2h' },
      localhost: false,
      key: { algo: 'ecdsa', size: 256 },
      ca: { CN: 'CA' },
    });
  });
  it('needs a size for rsa', () => {
    expectPkiErrorSync(() => applyClusterFlags(base, { keyAlgo: 'rsa' }), { code: 'USAGE', hint: '2048' });
    expect(applyClusterFlags(base, { keyAlgo: 'rsa', keySize: '3072' }).key).toEqual({ algo: 'rsa', size: 3072 });
  });
});
