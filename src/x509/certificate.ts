import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { TAG, tlv, validityTimeDer } from './der.js';
import { extensionDer } from './extensions/extension.js';
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
  readonly extensions: readonly pkijs.Extension[];
}

/** The AlgorithmIdentifier of a signature algorithm (NULL parameters for RSA only). */
export function algorithmIdentifier(algorithm: SignatureAlgorithm): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({
    algorithmId: algorithm.oid,
    ...(algorithm.nullParams ? { algorithmParams: new asn1js.Null() } : {}),
  });
}

// Version [0] EXPLICIT INTEGER 2 (v3), RFC 5280 4.1.2.1.
const VERSION_V3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);
const algorithmDer = new Map<SignatureAlgorithm, Uint8Array>();

function algorithmIdentifierDer(algorithm: SignatureAlgorithm): Uint8Array {
  let der = algorithmDer.get(algorithm);
  if (!der) {
    der = new Uint8Array(algorithmIdentifier(algorithm).toSchema().toBER());
    algorithmDer.set(algorithm, der);
  }
  return der;
}

/**
 * Encodes `template` as a v3 certificate (RFC 5280 4.1) signed by `signer` with the algorithm
 * cfssl picks for the signer's key. The TBSCertificate is assembled from parts that are already
 * DER (names, key, extensions) rather than re-parsed into pkijs objects: that is most of the cost
 * of bulk issuance.
 */
export async function signCertificate(template: CertificateTemplate, signer: KeyPair): Promise<Der> {
  const algorithm = signatureAlgorithmFor(signer.spec);
  const algorithmId = algorithmIdentifierDer(algorithm);
  const tbs = tlv(
    TAG.sequence,
    VERSION_V3,
    tlv(TAG.integer, template.serial),
    algorithmId,
    template.issuer,
    tlv(TAG.sequence, validityTimeDer(template.notBefore), validityTimeDer(template.notAfter)),
    template.subject,
    template.subjectPublicKeyInfo,
    ...(template.extensions.length > 0
      ? [
          tlv(
            TAG.contextConstructed3,
            tlv(TAG.sequence, ...template.extensions.map(extensionDer)),
          ),
        ]
      : []),
  );
  const signature = await signBytes(signer.privateKey, algorithm, tbs);
  return tlv(TAG.sequence, tbs, algorithmId, tlv(TAG.bitString, Uint8Array.of(0), signature));
}
