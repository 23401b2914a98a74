import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/keys/generate.js';
import type { KeySpec } from '../../src/keys/algorithms.js';

describe('generateKeyPair', () => {
  const cases: Array<{ name: string; spec: KeySpec; type: string; details: Record<string, unknown> }> = [
    { name: 'generates an ECDSA P-256 key', spec: { algo: 'ecdsa', size: 256 }, type: 'ec', details: { namedCurve: 'prime256v1' } },
    { name: 'generates an ECDSA P-384 key', spec: { algo: 'ecdsa', size: 384 }, type: 'ec', details: { namedCurve: 'secp384r1' } },
    { name: 'generates an ECDSA P-521 key', spec: { algo: 'ecdsa', size: 521 }, type: 'ec', details: { namedCurve: 'secp521r1' } },
    {
      name: 'generates an RSA 2048 key with exponent 65537',
      spec: { algo: 'rsa', size: 2048 },
      type: 'rsa',
      details: { modulusLength: 2048, publicExponent: 65537n },
    },
    { name: 'generates an Ed25519 key', spec: { algo: 'ed25519' }, type: 'ed25519', details: {} },
  ];
  it.each(cases)('$name', async ({ spec, type, details }) => {
    const pair = await generateKeyPair(spec);
    expect(pair.spec).toEqual(spec);
    expect(pair.privateKey.type).toBe('private');
    expect(pair.publicKey.type).toBe('public');
    expect(pair.privateKey.asymmetricKeyType).toBe(type);
    expect(pair.privateKey.asymmetricKeyDetails).toMatchObject(details);
    // The public half belongs to the private half.
    const fromPrivate = (await import('node:crypto')).createPublicKey(pair.privateKey);
    expect(fromPrivate.export({ type: 'spki', format: 'der' })).toEqual(pair.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it.each([256, 384] as const)("returns P-%i encodings equal to OpenSSL's for the same key (SPKI, SEC1)", async (size) => {
    // 1,000 P-256 keys: a private scalar with a leading zero octet (1 in 256), which must be padded
    // back to 32 octets, occurs in almost every run.
    for (let i = 0; i < (size === 256 ? 1000 : 20); i++) {
      const pair = await generateKeyPair({ algo: 'ecdsa', size });
      expect(Buffer.from(pair.spki!).toString('hex')).toBe(pair.publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
      expect(Buffer.from(pair.cfsslDer!).toString('hex')).toBe(pair.privateKey.export({ type: 'sec1', format: 'der' }).toString('hex'));
    }
  });

  it('generates a new key each time', async () => {
    const [a, b] = await Promise.all([generateKeyPair({ algo: 'ecdsa', size: 256 }), generateKeyPair({ algo: 'ecdsa', size: 256 })]);
    expect(a!.publicKey.export({ type: 'spki', format: 'der' })).not.toEqual(b!.publicKey.export({ type: 'spki', format: 'der' }));
  });
});
