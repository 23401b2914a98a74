import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecKeyDer } from '../../src/keys/ec-der.js';
import { ECDSA_CURVES, type EcdsaSize } from '../../src/keys/algorithms.js';

describe('ecKeyDer', () => {
  // 300 keys a curve: a leading zero byte in x, y or d (1 in 256 each) occurs in most runs, and
  // must be kept, as OpenSSL pads every number to the curve's size.
  it.each([256, 384, 521] as const)('encodes P-%i keys byte for byte as OpenSSL does', (size: EcdsaSize) => {
    for (let i = 0; i < 300; i++) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: ECDSA_CURVES[size].nodeCurve });
      const { spki, sec1 } = ecKeyDer(size, privateKey.export({ format: 'jwk' }));
      expect(Buffer.from(spki).toString('hex')).toBe(publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
      expect(Buffer.from(sec1).toString('hex')).toBe(privateKey.export({ type: 'sec1', format: 'der' }).toString('hex'));
    }
  });

  it('refuses a JWK without its private part', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => ecKeyDer(256, publicKey.export({ format: 'jwk' }))).toThrow(TypeError);
  });
});
