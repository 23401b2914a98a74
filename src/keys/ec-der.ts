import type { Der } from '../pem/pem.js';
import { TAG, objectIdentifier, standaloneTlv, tlv } from '../asn1/der.js';
import { OID } from '../asn1/oids.js';
import { ECDSA_CURVES, type EcdsaSize } from './algorithms.js';

/** The two encodings of an ECDSA key pair that certifying and writing it need. */
export interface EcKeyDer {
  /** SubjectPublicKeyInfo (RFC 5480 2), uncompressed point. */
  readonly spki: Der;
  /** SEC1 ECPrivateKey (RFC 5915 3) with curve and public key, as OpenSSL and Go write it. */
  readonly sec1: Der;
}

const BIT_STRING_NO_UNUSED = Uint8Array.of(0);
const VERSION_1 = Uint8Array.of(TAG.integer, 0x01, 0x01);

/**
 * Encodes an ECDSA key pair from its numbers: the private scalar (big-endian, any length up to
 * the curve's) and the uncompressed public point (`04 || x || y`, SEC 1 2.3.3). The scalar is
 * padded to the curve's size as RFC 5915 3 requires; the bytes equal OpenSSL's (see
 * test/keys/ec-der.test.ts).
 * @throws RangeError when the scalar is too long or the point is not uncompressed.
 */
export function ecKeyDer(size: EcdsaSize, privateScalar: Uint8Array, publicPoint: Uint8Array): EcKeyDer {
  const { octets, oid } = ECDSA_CURVES[size];
  if (privateScalar.length > octets) throw new RangeError(`a P-${size} private key has at most ${octets} octets`);
  if (publicPoint.length !== 1 + 2 * octets || publicPoint[0] !== 0x04) {
    throw new RangeError(`a P-${size} public key is an uncompressed point of ${1 + 2 * octets} octets`);
  }
  const scalar = new Uint8Array(octets);
  scalar.set(privateScalar, octets - privateScalar.length);
  const curve = objectIdentifier(oid);
  const publicKey = tlv(TAG.bitString, BIT_STRING_NO_UNUSED, publicPoint);
  return {
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm { id-ecPublicKey, namedCurve }, subjectPublicKey }
    spki: standaloneTlv(TAG.sequence, tlv(TAG.sequence, objectIdentifier(OID.ecPublicKey), curve), publicKey),
    // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey }
    sec1: standaloneTlv(
      TAG.sequence,
      VERSION_1,
      // The scalar stays out of node's shared Buffer pool (see der.ts tlv), whose bytes a later
      // Buffer.allocUnsafe elsewhere in the process may hand out unwritten.
      standaloneTlv(TAG.octetString, scalar),
      tlv(TAG.contextConstructed0, curve),
      tlv(TAG.contextConstructed1, publicKey),
    ),
  };
}
