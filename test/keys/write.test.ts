import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/keys/generate.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { encodePrivateKey } from '../../src/keys/write.js';
import { describeKeySpec, type KeySpec } from '../../src/keys/algorithms.js';
import type { KeyPair } from '../../src/keys/types.js';
import { decodePemBlocks } from '../../src/pem/pem.js';
import { fixture } from '../support/fixtures.js';
import { run, runOk, runOkBytes } from '../support/run.js';

const SPECS: KeySpec[] = [
  { algo: 'ecdsa', size: 256 },
  { algo: 'ecdsa', size: 384 },
  { algo: 'ecdsa', size: 521 },
  { algo: 'rsa', size: 2048 },
  { algo: 'ed25519' },
];

const keys = new Map<string, KeyPair>();
beforeAll(async () => {
  for (const pair of await Promise.all(SPECS.map(generateKeyPair))) keys.set(describeKeySpec(pair.spec), pair);
});
const key = (spec: KeySpec) => keys.get(describeKeySpec(spec))!;
const spki = (pair: KeyPair) => pair.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');

/** `openssl asn1parse` lines with offsets and the key material masked: the shape of a key. */
async function shape(pem: string, maskLengths: boolean): Promise<string[]> {
  const text = await runOk('openssl', ['asn1parse'], { input: pem });
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*\d+:/, '')
        .replace(/(OCTET STRING|BIT STRING)\s+\[HEX DUMP\]:\w+/, '$1')
        .replace(/(INTEGER\s+):([0-9A-F]{8,})$/, '$1:<big>')
        .replace(maskLengths ? /hl=\d l=\s*\d+/ : /^$/, 'hl=? l=?')
        .trim(),
    );
}

describe('encodePrivateKey', () => {
  const formats = [
    {
      name: 'writes ECDSA P-256 as cfssl does: SEC1 "EC PRIVATE KEY"',
      spec: { algo: 'ecdsa', size: 256 } as const,
      format: 'cfssl' as const,
      label: 'EC PRIVATE KEY',
    },
    {
      name: 'writes ECDSA P-384 as SEC1 "EC PRIVATE KEY"',
      spec: { algo: 'ecdsa', size: 384 } as const,
      format: 'cfssl' as const,
      label: 'EC PRIVATE KEY',
    },
    {
      name: 'writes ECDSA P-521 as SEC1 "EC PRIVATE KEY"',
      spec: { algo: 'ecdsa', size: 521 } as const,
      format: 'cfssl' as const,
      label: 'EC PRIVATE KEY',
    },
    {
      name: 'writes RSA as cfssl does: PKCS#1 "RSA PRIVATE KEY"',
      spec: { algo: 'rsa', size: 2048 } as const,
      format: 'cfssl' as const,
      label: 'RSA PRIVATE KEY',
    },
    {
      name: 'writes Ed25519 as cfssl 1.6.5 does: PKCS#8 under "Ed25519 PRIVATE KEY"',
      spec: { algo: 'ed25519' } as const,
      format: 'cfssl' as const,
      label: 'Ed25519 PRIVATE KEY',
    },
    {
      name: 'writes Ed25519 as PKCS#8 "PRIVATE KEY" when asked',
      spec: { algo: 'ed25519' } as const,
      format: 'pkcs8' as const,
      label: 'PRIVATE KEY',
    },
    {
      name: 'writes ECDSA as PKCS#8 "PRIVATE KEY" when asked',
      spec: { algo: 'ecdsa', size: 384 } as const,
      format: 'pkcs8' as const,
      label: 'PRIVATE KEY',
    },
    {
      name: 'writes RSA as PKCS#8 "PRIVATE KEY" when asked',
      spec: { algo: 'rsa', size: 2048 } as const,
      format: 'pkcs8' as const,
      label: 'PRIVATE KEY',
    },
  ];
  it.each(formats)('$name, which reads back and which openssl reads (as PKCS#8)', async ({ spec, format, label }) => {
    const pair = key(spec);
    const pem = encodePrivateKey(pair, format);
    const blocks = decodePemBlocks(pem);
    expect(blocks.map((b) => b.label)).toEqual([label]);
    const back = readPrivateKey(pem);
    expect(back.spec).toEqual(spec);
    expect(spki(back)).toBe(spki(pair));
    // openssl knows no "Ed25519 PRIVATE KEY" label (cfssl 1.6's); the DER under it is PKCS#8.
    const forOpenssl = pem.replaceAll('Ed25519 PRIVATE KEY', 'PRIVATE KEY');
    const opensslSpki = await runOkBytes('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: forOpenssl });
    expect(opensslSpki.toString('hex')).toBe(spki(pair));
    if (spec.algo !== 'ed25519') {
      const check = await run('openssl', ['pkey', '-check', '-noout'], { input: forOpenssl });
      expect(check.stdout + check.stderr).toContain('Key is valid');
    }
  });

  it('defaults to the cfssl format', () => {
    expect(encodePrivateKey(key({ algo: 'ecdsa', size: 256 }))).toContain('-----BEGIN EC PRIVATE KEY-----');
  });

  it.each([
    ['P-256', { algo: 'ecdsa', size: 256 } as const, 'cfssl/rootca-key.pem'],
    ['P-384', { algo: 'ecdsa', size: 384 } as const, 'cfssl/genkey-ecdsa-384-key.pem'],
    ['P-521', { algo: 'ecdsa', size: 521 } as const, 'cfssl/genkey-ecdsa-521-key.pem'],
  ])(
    "lays out a %s SEC1 key exactly as cfssl (Go's MarshalECPrivateKey): version, key, [0] curve, [1] public key",
    async (_, spec, file) => {
      const ours = await shape(encodePrivateKey(key(spec)), false);
      expect(ours).toEqual(await shape(fixture(file), false));
      expect(ours.join('\n')).toMatch(/cont \[ 0 \][\s\S]*OBJECT[\s\S]*cont \[ 1 \][\s\S]*BIT STRING/);
    },
  );

  it('lays out an RSA PKCS#1 key as cfssl: version 0 and eight integers, exponent 65537', async () => {
    const ours = await shape(encodePrivateKey(key({ algo: 'rsa', size: 2048 })), true);
    expect(ours).toEqual(await shape(fixture('cfssl/genkey-rsa-2048-key.pem'), true));
    expect(ours.filter((l) => l.includes('INTEGER'))).toHaveLength(9);
    expect(ours.join('\n')).toContain('INTEGER           :010001');
  });

  it("writes Ed25519 as RFC 8410 PKCS#8, byte-compatible with openssl's genpkey", () => {
    const ours = decodePemBlocks(encodePrivateKey(key({ algo: 'ed25519' })))[0]!.der;
    const openssl = decodePemBlocks(fixture('openssl/ed25519-pkcs8.pem'))[0]!.der;
    // SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } }
    const prefix = '302e020100300506032b657004220420';
    expect(Buffer.from(ours).toString('hex').slice(0, prefix.length)).toBe(prefix);
    expect(Buffer.from(openssl).toString('hex').slice(0, prefix.length)).toBe(prefix);
    expect(ours.length).toBe(48);
  });
});
