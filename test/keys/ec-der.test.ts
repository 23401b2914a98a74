import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecKeyDer } from '../../src/keys/ec-der.js';
import { ECDSA_CURVES, type EcdsaSize } from '../../src/keys/algorithms.js';

const b64 = (value: string | undefined) => Buffer.from(value!, 'base64url');

describe('ecKeyDer', () => {
  // 300 keys a curve: a leading zero byte in x, y or d (1 in 256 each) occurs in most runs, and
  // must be kept, as OpenSSL pads every number to the curve's size.
  it.each([256, 384, 521] as const)('encodes P-%i keys byte for byte as OpenSSL does', (size: EcdsaSize) => {
    for (let i = 0; i < 300; i++) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: ECDSA_CURVES[size].nodeCurve });
      const jwk = privateKey.export({ format: 'jwk' });
      const { spki, sec1 } = ecKeyDer(size, b64(jwk.d), Buffer.concat([Uint8Array.of(4), b64(jwk.x), b64(jwk.y)]));
      expect(Buffer.from(spki).toString('hex')).toBe(publicKey.export({ type: 'spki', format: 'der' }).toString('hex'));
      expect(Buffer.from(sec1).toString('hex')).toBe(privateKey.export({ type: 'sec1', format: 'der' }).toString('hex'));
    }
  });

  it('pads a short private scalar to the curve size (RFC 5915 3), as node ECDH returns it unpadded', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = privateKey.export({ format: 'jwk' });
    const point = Buffer.concat([Uint8Array.of(4), b64(jwk.x), b64(jwk.y)]);
    const { sec1 } = ecKeyDer(256, Uint8Array.of(1), point);
    // SEQUENCE { INTEGER 1, OCTET STRING (32 octets) ... }
    expect(Buffer.from(sec1.subarray(5, 7 + 32)).toString('hex')).toBe('0420' + '00'.repeat(31) + '01');
  });

  it.each([
    ['a scalar longer than the curve', new Uint8Array(33), new Uint8Array(65).fill(4, 0, 1)],
    ['a compressed point', new Uint8Array(32), new Uint8Array(33).fill(2, 0, 1)],
    ['a point that is not uncompressed', new Uint8Array(32), new Uint8Array(65)],
  ])('refuses %s', (_name, scalar, point) => {
    expect(() => ecKeyDer(256, scalar, point)).toThrow(RangeError);
  });
});
