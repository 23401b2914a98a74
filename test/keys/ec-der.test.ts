import { createECDH, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecKeyDer } from '../../src/keys/ec-der.js';
import { ECDSA_CURVES, type EcdsaSize } from '../../src/keys/algorithms.js';

// The numbers come from ECDH, not from synchronous key generation + export({ format: 'jwk' }): on Node 20
// that pair deadlocks now and then (test/keys/no-sync-keygen.test.ts says why).
function ecNumbers(size: EcdsaSize): { scalar: Buffer; point: Buffer } {
  const ecdh = createECDH(ECDSA_CURVES[size].nodeCurve);
  const point = ecdh.generateKeys();
  return { scalar: ecdh.getPrivateKey(), point };
}

describe('ecKeyDer', () => {
  // 300 keys a curve: a private scalar with a leading zero byte (1 in 256), which ECDH returns a
  // byte short, occurs in most runs and must come out padded, as OpenSSL pads every number to the
  // curve's size. OpenSSL is the oracle: it decodes our DER and encodes the key again.
  it.each([256, 384, 521] as const)('encodes P-%i keys byte for byte as OpenSSL does', (size: EcdsaSize) => {
    for (let i = 0; i < 300; i++) {
      const { scalar, point } = ecNumbers(size);
      const { spki, sec1 } = ecKeyDer(size, scalar, point);
      const privateKey = createPrivateKey({ key: Buffer.from(sec1), format: 'der', type: 'sec1' });
      expect(Buffer.from(sec1).toString('hex')).toBe(privateKey.export({ type: 'sec1', format: 'der' }).toString('hex'));
      expect(Buffer.from(spki).toString('hex')).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('hex'));
    }
  });

  it('pads a short private scalar to the curve size (RFC 5915 3), as node ECDH returns it unpadded', () => {
    const { point } = ecNumbers(256);
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
