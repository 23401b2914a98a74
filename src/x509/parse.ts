import * as pkijs from 'pkijs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { PkiError } from '../errors.js';
import { signatureAlgorithmByOid, type SignatureAlgorithm } from '../keys/algorithms.js';
import { verifyBytes } from '../keys/sign.js';
import { PEM_LABELS, decodePemBlocks, decodeSinglePem, encodePem, looksLikePem, type Der, type Pem } from '../pem/pem.js';
import { readExtensions, type ExtensionSummary } from './read-extensions.js';
import { EMPTY_SANS, type SubjectAltNames } from './hosts.js';

/** A certificate parsed once, with the fields etcd-pki reads. */
export interface ParsedCertificate {
  readonly der: Der;
  readonly pem: Pem;
  readonly certificate: pkijs.Certificate;
  /** Minimal DER INTEGER contents of the serial. */
  readonly serial: Uint8Array;
  /** DER of the subject and issuer Names, byte for byte. */
  readonly subject: Uint8Array;
  readonly issuer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly subjectPublicKeyInfo: Der;
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
  readonly extensions: ExtensionSummary;
  readonly sans: SubjectAltNames;
  readonly isCA: boolean;
}

/**
 * Parses one certificate from PEM or DER.
 * @throws PkiError INVALID_PEM / INVALID_CERTIFICATE naming `file`.
 */
export function parseCertificate(data: Uint8Array | string, file?: string): ParsedCertificate {
  let der: Der;
  if (looksLikePem(data)) {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    der = decodeSinglePem(text, [PEM_LABELS.certificate], { file, what: 'certificate' }).der;
  } else {
    der = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'latin1')) : data;
  }
  return parseCertificateDer(der, file);
}

/** Every certificate in a PEM bundle (a trust bundle may hold several CAs). */
export function parseCertificateBundle(text: string, file?: string): ParsedCertificate[] {
  const blocks = decodePemBlocks(text, file).filter((b) => b.label === PEM_LABELS.certificate);
  if (blocks.length === 0) {
    throw new PkiError('INVALID_PEM', 'no certificate found', { file, hint: 'expected "-----BEGIN CERTIFICATE-----"' });
  }
  return blocks.map((block) => parseCertificateDer(block.der, file));
}

function parseCertificateDer(der: Der, file: string | undefined): ParsedCertificate {
  try {
    const certificate = pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>);
    const extensions = readExtensions(certificate.extensions ?? []);
    const spki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
    return {
      der,
      pem: encodePem(PEM_LABELS.certificate, der),
      certificate,
      serial: new Uint8Array(certificate.serialNumber.valueBlock.valueHexView),
      subject: new Uint8Array(certificate.subject.toSchema().toBER()),
      issuer: new Uint8Array(certificate.issuer.toSchema().toBER()),
      notBefore: certificate.notBefore.value,
      notAfter: certificate.notAfter.value,
      publicKey: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }),
      subjectPublicKeyInfo: spki,
      signatureAlgorithm: signatureAlgorithmByOid(certificate.signatureAlgorithm.algorithmId),
      extensions,
      sans: extensions.sans ?? EMPTY_SANS,
      isCA: extensions.basicConstraints?.isCA ?? false,
    };
  } catch (cause) {
    throw new PkiError('INVALID_CERTIFICATE', 'the certificate could not be parsed (corrupted or not X.509?)', {
      file,
      hint: 'give a certificate in PEM (a "BEGIN CERTIFICATE" block) or DER',
      cause,
    });
  }
}

/** True when `issuer`'s key signed `subject`. */
export async function isSignedBy(subject: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> {
  if (!subject.signatureAlgorithm) return false;
  const signature = new Uint8Array(subject.certificate.signatureValue.valueBlock.valueHexView);
  return verifyBytes(issuer.publicKey, subject.signatureAlgorithm, new Uint8Array(subject.certificate.tbsView), signature);
}

/** True when the key pair's public half is the certificate's key. */
export function publicKeyMatches(certificate: ParsedCertificate, publicKey: KeyObject): boolean {
  return Buffer.from(certificate.subjectPublicKeyInfo).equals(publicKey.export({ type: 'spki', format: 'der' }));
}
