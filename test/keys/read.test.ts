import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readPrivateKey } from '../../src/keys/read.js';
import type { KeySpec } from '../../src/keys/algorithms.js';
import { fixture, fixtureBytes, fixturePath } from '../support/fixtures.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { runOkBytes } from '../support/run.js';

describe('readPrivateKey', () => {
  const cases: Array<{ name: string; file: string; spec: KeySpec; der?: boolean }> = [
    {
      name: "reads openssl's `ecparam -genkey` key with its EC PARAMETERS block",
      file: 'openssl/ec256-with-params.pem',
      spec: { algo: 'ecdsa', size: 256 },
    },
    { name: "reads openssl's SEC1 key without parameters (P-384)", file: 'openssl/ec384-sec1.pem', spec: { algo: 'ecdsa', size: 384 } },
    { name: "reads openssl's `genpkey` PKCS#8 key (P-521)", file: 'openssl/ec521-pkcs8.pem', spec: { algo: 'ecdsa', size: 521 } },
    { name: "reads openssl's PKCS#8 RSA key", file: 'openssl/rsa2048-pkcs8.pem', spec: { algo: 'rsa', size: 2048 } },
    { name: "reads openssl's PKCS#1 RSA key", file: 'openssl/rsa2048-pkcs1.pem', spec: { algo: 'rsa', size: 2048 } },
    { name: "reads openssl's PKCS#1 RSA key in DER", file: 'openssl/rsa2048-pkcs1.der', spec: { algo: 'rsa', size: 2048 }, der: true },
    { name: "reads openssl's PKCS#8 EC key in DER", file: 'openssl/ec256-pkcs8.der', spec: { algo: 'ecdsa', size: 256 }, der: true },
    { name: "reads openssl's Ed25519 key", file: 'openssl/ed25519-pkcs8.pem', spec: { algo: 'ed25519' } },
    { name: "reads cfssl's walkthrough root CA key (SEC1 P-256)", file: 'cfssl/rootca-key.pem', spec: { algo: 'ecdsa', size: 256 } },
    { name: "reads cfssl's `genkey` P-384 key", file: 'cfssl/genkey-ecdsa-384-key.pem', spec: { algo: 'ecdsa', size: 384 } },
    { name: "reads cfssl's `genkey` P-521 key", file: 'cfssl/genkey-ecdsa-521-key.pem', spec: { algo: 'ecdsa', size: 521 } },
    { name: "reads cfssl's `genkey` RSA 2048 key (PKCS#1)", file: 'cfssl/genkey-rsa-2048-key.pem', spec: { algo: 'rsa', size: 2048 } },
    { name: "reads cfssl's `genkey` RSA 3072 key (PKCS#1)", file: 'cfssl/genkey-rsa-3072-key.pem', spec: { algo: 'rsa', size: 3072 } },
  ];
  it.each(cases)('$name', async ({ file, spec, der }) => {
    const pair = readPrivateKey(der ? fixtureBytes(file) : fixture(file), file);
    expect(pair.spec).toEqual(spec);
    // openssl derives the same public key from the same file.
    const opensslSpki = await runOkBytes('openssl', [
      'pkey',
      '-in',
      fixturePath(file),
      ...(der ? ['-inform', 'DER'] : []),
      '-pubout',
      '-outform',
      'DER',
    ]);
    const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
    expect(spki.toString('hex')).toBe(opensslSpki.toString('hex'));
    expect(createPublicKey(pair.privateKey).export({ type: 'spki', format: 'der' })).toEqual(spki);
  });

  it('reads the same key from bytes and from text', () => {
    const text = fixture('cfssl/rootca-key.pem');
    const a = readPrivateKey(text).publicKey.export({ type: 'spki', format: 'der' });
    const b = readPrivateKey(new TextEncoder().encode(text)).publicKey.export({ type: 'spki', format: 'der' });
    expect(a).toEqual(b);
  });

  const refused = [
    {
      name: 'refuses an encrypted PKCS#8 key and says how to decrypt it',
      text: () => fixture('openssl/ec256-encrypted-pkcs8.pem'),
      code: 'KEY_ENCRYPTED' as const,
      hint: 'openssl pkey',
    },
    {
      name: 'refuses a legacy encrypted SEC1 key (Proc-Type: 4,ENCRYPTED)',
      text: () => fixture('openssl/ec384-encrypted-sec1.pem'),
      code: 'KEY_ENCRYPTED' as const,
      hint: 'openssl pkey',
    },
    {
      name: 'refuses a secp256k1 key, a curve cfssl does not issue with',
      text: () => fixture('openssl/secp256k1-sec1.pem'),
      code: 'KEY_UNSUPPORTED' as const,
      message: 'unsupported elliptic curve',
      hint: 'P-256',
    },
    {
      name: 'refuses a certificate given as a key and names the label found',
      text: () => fixture('cfssl/rootca.pem'),
      code: 'INVALID_PEM' as const,
      message: 'found a "CERTIFICATE" PEM block',
      hint: '"EC PRIVATE KEY"',
    },
    {
      name: 'refuses a truncated key',
      text: () => {
        const lines = fixture('cfssl/rootca-key.pem').split('\n');
        return [lines[0], lines[1], lines.at(-2), ''].join('\n');
      },
      code: 'INVALID_PEM' as const,
      message: 'could not be parsed',
    },
    {
      name: 'refuses bytes that are no key at all',
      text: () => 'just some text\n',
      code: 'INVALID_PEM' as const,
      message: 'could not be parsed',
    },
  ];
  it.each(refused)('$name', ({ text, code, message, hint }) => {
    expectPkiErrorSync(() => readPrivateKey(text(), 'ca-key.pem'), {
      code,
      file: 'ca-key.pem',
      ...(message ? { message } : {}),
      ...(hint ? { hint } : {}),
    });
  });
});
