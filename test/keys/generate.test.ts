import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/keys/generate.js';
import type { KeySpec } from '../../src/keys/algorithms.js';

describe('generateKeyPair', () => {
  const cases: Array<{ name: string; spec: KeySpec; type: string; details: Record<string, unknown> }> = [
    { name: 'generates an ECDSA P-256 key', spec: { algo: 'ecdsa', size: 256 }, type: 'ec', details: { namedCurve: 'prime256v1' } },
    { name: 'generates an ECDSA P-384 key', spec: { algo: 'ecdsa', size: 384 }, type: 'ec', details: { namedCurve: 'secp384r1' } },
    { name: 'generates an ECDSA P-521 key', spec: { algo: 'ecdsa', size: 521 }, type: 'ec', details: { namedCurve: 'secp521r1' } },
    { name: 'generates an RSA 2048 key with exponent 65537', spec: { algo: 'rsa', size: 2048 }, type: 'rsa', details: { modulusLength: 2048, publicExponent: 65537n } },
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

  it('generates a new key each time', async () => {
    const [a, b] = await Promise.all([generateKeyPair({ algo: 'ecdsa', size: 256 }), generateKeyPair({ algo: 'ecdsa', size: 256 })]);
    expect(a!.publicKey.export({ type: 'spki', format: 'der' })).not.toEqual(b!.publicKey.export({ type: 'spki', format: 'der' }));
  });
});
