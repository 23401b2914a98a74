import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { signBytes } from '../keys/sign.js';
import { signatureAlgorithmFor, type SignatureAlgorithm } from '../keys/algorithms.js';
import type { KeyPair } from '../keys/types.js';
import type { Der } from '../pem/pem.js';
import { nameFromDer } from './name.js';
import { validityTime } from './time.js';

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

/**
 * Encodes `template` as a v3 certificate signed by `signer` with the algorithm cfssl picks for
 * the signer's key.
 */
export async function signCertificate(template: CertificateTemplate, signer: KeyPair): Promise<Der> {
  const algorithm = signatureAlgorithmFor(signer.spec);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: template.serial.slice().buffer });
  certificate.signature = algorithmIdentifier(algorithm);
  certificate.issuer = nameFromDer(template.issuer);
  certificate.subject = nameFromDer(template.subject);
  certificate.notBefore = validityTime(template.notBefore);
  certificate.notAfter = validityTime(template.notAfter);
  certificate.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(template.subjectPublicKeyInfo as Uint8Array<ArrayBuffer>);
  if (template.extensions.length > 0) certificate.extensions = [...template.extensions];
  const tbs = new Uint8Array(certificate.encodeTBS().toBER());
  const signature = await signBytes(signer.privateKey, algorithm, tbs);
  certificate.tbsView = tbs;
  certificate.signatureAlgorithm = algorithmIdentifier(algorithm);
  certificate.signatureValue = new asn1js.BitString({ valueHex: signature.slice().buffer });
  return new Uint8Array(certificate.toSchema(false).toBER());
}
