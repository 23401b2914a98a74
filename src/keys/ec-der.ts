import type { JsonWebKey } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { Der } from '../pem/pem.js';
import { TAG, tlv } from '../x509/der.js';
import { OID } from '../x509/oids.js';
import { ECDSA_CURVES, type EcdsaSize } from './algorithms.js';

/** The two encodings of an ECDSA key pair that certifying and writing it need. */
export interface EcKeyDer {
  /** SubjectPublicKeyInfo (RFC 5480 2), uncompressed point. */
  readonly spki: Der;
  /** SEC1 ECPrivateKey (RFC 5915 3) with curve and public key, as OpenSSL and Go write it. */
  readonly sec1: Der;
}

const OCTET_STRING = 0x04;
const BIT_STRING_NO_UNUSED = Uint8Array.of(0);
const VERSION_1 = Uint8Array.of(0x02, 0x01, 0x01);
const oidDer = (oid: string) => new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER());
const ecPublicKeyOid = oidDer(OID.ecPublicKey);
const curveOids = new Map<EcdsaSize, Uint8Array>();

/**
 * Encodes an ECDSA key pair from its private JWK (RFC 7518 6.2: x, y, d, each padded to the
 * curve's size). OpenSSL 3 encodes SPKI and SEC1 on the main thread through its slow encoder
 * framework (about 150 us a key); JWK export reads the numbers directly, so bulk key generation
 * stays on the thread pool. The bytes equal OpenSSL's (see test/keys/ec-der.test.ts).
 */
export function ecKeyDer(size: EcdsaSize, jwk: JsonWebKey): EcKeyDer {
  let curve = curveOids.get(size);
  if (!curve) {
    curve = oidDer(ECDSA_CURVES[size].oid);
    curveOids.set(size, curve);
  }
  const point = Buffer.concat([Uint8Array.of(0x04), base64url(jwk.x), base64url(jwk.y)]);
  const publicKey = tlv(TAG.bitString, BIT_STRING_NO_UNUSED, point);
  return {
    spki: tlv(TAG.sequence, tlv(TAG.sequence, ecPublicKeyOid, curve), publicKey),
    sec1: tlv(
      TAG.sequence,
      VERSION_1,
      tlv(OCTET_STRING, base64url(jwk.d)),
      tlv(TAG.contextConstructed0, curve),
      tlv(TAG.contextConstructed1, publicKey),
    ),
  };
}

function base64url(value: string | undefined): Uint8Array {
  if (value === undefined) throw new TypeError('incomplete EC JWK');
  return Buffer.from(value, 'base64url');
}
