import { TAG, contextPrimitive, standaloneTlv, tlv, tlvOf, validityTimeDer } from '../asn1/der.js';
import { certificateExtension } from './extensions/extension.js';
import { OID } from '../asn1/oids.js';
import { algorithmIdentifier } from './certificate.js';
import { signBytes } from '../keys/sign.js';
import { SIGNATURE_ALGORITHMS, signatureAlgorithmFor, type KeySpec, type SignatureAlgorithm } from '../keys/algorithms.js';
import type { KeyPair } from '../keys/types.js';
import type { Der } from '../pem/pem.js';

/**
 * The reasons a revocation may give (RFC 5280 5.3.1 CRLReason), by the names `-reason` accepts.
 * certificateHold and removeFromCRL are left out: a hold is undone later, and etcd, which reads
 * only serials, would refuse the certificate all the same.
 */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  caCompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  privilegeWithdrawn: 9,
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASONS;

/** One revoked certificate of a CRL. */
export interface RevokedEntry {
  /** Minimal DER INTEGER contents of the serial (see serial.ts). */
  readonly serial: Uint8Array;
  readonly revokedAt: Date;
  /** Written as a reasonCode entry extension, except `unspecified` (RFC 5280 5.3.1: SHOULD be absent). Default none. */
  readonly reason?: RevocationReason | undefined;
}

/** Everything that goes into a TBSCertList (RFC 5280 5.1.2). */
export interface CrlTemplate {
  /** DER Name of the issuer, copied byte for byte from the CA's subject. */
  readonly issuer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** In the order written; none writes no revokedCertificates field, as Go does. */
  readonly revoked: readonly RevokedEntry[];
  /** The CA's subject key identifier: an AuthorityKeyIdentifier extension when given (RFC 5280 5.2.1). */
  readonly authorityKeyId?: Uint8Array | undefined;
  /** A CRLNumber extension (RFC 5280 5.2.3) when given; cfssl's gencrl writes none. */
  readonly crlNumber?: bigint | undefined;
}

// Version INTEGER 1 (v2): extensions are written (RFC 5280 5.1.2.1).
const VERSION_V2 = Uint8Array.of(TAG.integer, 0x01, 0x01);
const NO_UNUSED_BITS = Uint8Array.of(0);
const ENUMERATED = 0x0a;

/**
 * Encodes and signs a v2 CRL (RFC 5280 5.1) with the algorithm Go's CreateCRL picks for the
 * signer's key (crlSignatureAlgorithm),
 * in the shape Go's `Certificate.CreateCRL` gives cfssl's gencrl: issuer, thisUpdate, nextUpdate,
 * the revoked serials with their dates, then the CRL extensions (AKI, and the CRL number when
 * asked for).
 */
export async function signCrl(template: CrlTemplate, signer: KeyPair): Promise<Der> {
  const algorithm = crlSignatureAlgorithm(signer.spec);
  const algorithmId = algorithmIdentifier(algorithm);
  const parts = [VERSION_V2, algorithmId, template.issuer, validityTimeDer(template.thisUpdate), validityTimeDer(template.nextUpdate)];
  if (template.revoked.length > 0) parts.push(tlvOf(TAG.sequence, template.revoked.map(revokedEntry)));
  const extensions: Uint8Array[] = [];
  if (template.authorityKeyId) {
    extensions.push(
      certificateExtension(OID.authorityKeyIdentifier, false, tlv(TAG.sequence, contextPrimitive(0, template.authorityKeyId))).der,
    );
  }
  if (template.crlNumber !== undefined) extensions.push(certificateExtension(OID.cRLNumber, false, bigInteger(template.crlNumber)).der);
  if (extensions.length > 0) parts.push(tlv(TAG.contextConstructed0, tlvOf(TAG.sequence, extensions)));
  const tbs = tlvOf(TAG.sequence, parts);
  const signature = await signBytes(signer.privateKey, algorithm, tbs);
  return standaloneTlv(TAG.sequence, tbs, algorithmId, tlv(TAG.bitString, NO_UNUSED_BITS, signature));
}

/**
 * The algorithm a CRL is signed with: Go's default for the key (x509 signingParamsForPublicKey),
 * which cfssl's gencrl gets, not cfssl's certificate rule: an RSA key signs with SHA-256 whatever
 * its size; ECDSA by curve, as for certificates.
 */
export function crlSignatureAlgorithm(spec: KeySpec): SignatureAlgorithm {
  return spec.algo === 'rsa' ? SIGNATURE_ALGORITHMS.sha256WithRSAEncryption : signatureAlgorithmFor(spec);
}

// SEQUENCE { userCertificate INTEGER, revocationDate Time, crlEntryExtensions Extensions OPTIONAL }
function revokedEntry(entry: RevokedEntry): Uint8Array {
  const parts = [tlv(TAG.integer, entry.serial), validityTimeDer(entry.revokedAt)];
  const code = entry.reason === undefined ? 0 : REVOCATION_REASONS[entry.reason];
  if (code !== 0) {
    parts.push(tlv(TAG.sequence, certificateExtension(OID.cRLReasons, false, tlv(ENUMERATED, Uint8Array.of(code))).der));
  }
  return tlvOf(TAG.sequence, parts);
}

/** A non-negative INTEGER of any size in minimal two's complement (X.690 8.3.2). */
export function bigInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError(`not a non-negative integer: ${value}`);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return tlv(TAG.integer, Buffer.from(hex, 'hex'));
}
