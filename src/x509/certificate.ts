import type { PkiCrypto } from '../crypto.js';
import { TAG, objectIdentifier, standaloneTlv, tlv, tlvOf, validityTimeDer } from '../asn1/der.js';
import type { CertificateExtension } from './extensions/extension.js';
import { signBytes } from '../keys/sign.js';
import { signatureAlgorithmFor, type SignatureAlgorithm } from '../keys/algorithms.js';
import type { KeyPair } from '../keys/types.js';
import type { Der } from '../pem/pem.js';

/** Everything that goes into a TBSCertificate (RFC 5280 4.1.2), already decided by the policy. */
export interface CertificateTemplate {
  /** Minimal DER INTEGER contents of the serial (see serial.ts). */
  readonly serial: Uint8Array;
  /** DER Name of the issuer, copied byte for byte from the issuer's subject. */
  readonly issuer: Uint8Array;
  /** DER Name of the subject. */
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  readonly subjectPublicKeyInfo: Der;
  /** In the order they are written. */
  readonly extensions: readonly CertificateExtension[];
}

const NULL = Uint8Array.of(TAG.null, 0x00);
const algorithmIdentifiers = new Map<SignatureAlgorithm, Uint8Array>();

/**
 * The DER AlgorithmIdentifier of a signature algorithm (RFC 5280 4.1.1.2), with NULL parameters
 * for RSA only (RFC 8017 A.2.4; none for ECDSA, RFC 5758 3.2, and Ed25519, RFC 8410 3). Made once
 * per algorithm; callers never mutate the bytes.
 */
export function algorithmIdentifier(algorithm: SignatureAlgorithm): Uint8Array {
  let der = algorithmIdentifiers.get(algorithm);
  if (!der) {
    der = algorithm.nullParams
      ? tlv(TAG.sequence, objectIdentifier(algorithm.oid), NULL)
      : tlv(TAG.sequence, objectIdentifier(algorithm.oid));
    algorithmIdentifiers.set(algorithm, der);
  }
  return der;
}

// Version [0] EXPLICIT INTEGER 2 (v3), RFC 5280 4.1.2.1.
const VERSION_V3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);
// The leading octet of a signature BIT STRING: no unused bits (X.690 8.6.2.2).
const NO_UNUSED_BITS = Uint8Array.of(0);

/**
 * Encodes `template` as a v3 certificate (RFC 5280 4.1) signed by `signer` with the algorithm
 * cfssl picks for the signer's key. The TBSCertificate is assembled from parts that are already
 * DER (names, key, extensions); with `crypto`, only the signature leaves the main thread (see
 * PkiCrypto.sign).
 */
export async function signCertificate(template: CertificateTemplate, signer: KeyPair, crypto?: PkiCrypto): Promise<Der> {
  const algorithm = signatureAlgorithmFor(signer.spec);
  const algorithmId = algorithmIdentifier(algorithm);
  const tbs = tbsCertificate(template, algorithmId);
  const signature = await signBytes(signer.privateKey, algorithm, tbs, crypto);
  return standaloneTlv(TAG.sequence, tbs, algorithmId, tlv(TAG.bitString, NO_UNUSED_BITS, signature));
}

// TBSCertificate ::= SEQUENCE { version [0], serialNumber, signature, issuer, validity, subject,
//   subjectPublicKeyInfo, extensions [3] EXPLICIT Extensions OPTIONAL } (no unique IDs, as Go).
function tbsCertificate(template: CertificateTemplate, algorithmId: Uint8Array): Uint8Array {
  const parts = [
    VERSION_V3,
    tlv(TAG.integer, template.serial),
    algorithmId,
    template.issuer,
    tlv(TAG.sequence, validityTimeDer(template.notBefore), validityTimeDer(template.notAfter)),
    template.subject,
    template.subjectPublicKeyInfo,
  ];
  if (template.extensions.length > 0) {
    parts.push(
      tlv(
        TAG.contextConstructed3,
        tlvOf(
          TAG.sequence,
          template.extensions.map((extension) => extension.der),
        ),
      ),
    );
  }
  return tlvOf(TAG.sequence, parts);
}
