import { createHash } from 'node:crypto';
import { colonHex } from '../x509/key-id.js';
import { subjectNameOf } from '../x509/name.js';
import type { ParsedCertificate } from '../x509/parse.js';

/**
 * The facts about a certificate the lifecycle reports and records, computed once: what
 * `openssl x509 -noout -serial -fingerprint -sha256 -subject -issuer` prints.
 */
export interface CertificateFacts {
  readonly commonName: string;
  readonly issuerCommonName: string;
  /** Upper-case hex without separators, as `openssl x509 -serial` prints it. */
  readonly serial: string;
  /** SHA-256 of the DER, `AB:CD:...`, as manifest.json and `openssl x509 -fingerprint -sha256` write it. */
  readonly fingerprint: string;
  /** The issuer's key identifier (AKI), `AB:CD:...`; tells apart two CAs of the same name. */
  readonly issuerKeyId?: string;
  readonly subjectKeyId?: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function certificateFacts(certificate: ParsedCertificate): CertificateFacts {
  const { authorityKeyId, subjectKeyId } = certificate.extensions;
  return {
    commonName: subjectNameOf(certificate.subject).commonName ?? '',
    issuerCommonName: subjectNameOf(certificate.issuer).commonName ?? '',
    serial: serialHex(certificate.serial),
    fingerprint: fingerprintOf(certificate.der),
    ...(authorityKeyId ? { issuerKeyId: colonHex(authorityKeyId) } : {}),
    ...(subjectKeyId ? { subjectKeyId: colonHex(subjectKeyId) } : {}),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}

/** `openssl x509 -serial`'s form: upper-case hex of the INTEGER's content octets, without a leading 00. */
export function serialHex(serial: Uint8Array): string {
  const hex = Buffer.from(serial).toString('hex').toUpperCase();
  return hex.length > 2 && hex.startsWith('00') ? hex.slice(2) : hex;
}

/**
 * SHA-256 fingerprint of DER. Synchronous node:crypto (not the crypto seam): a digest of public
 * data, computed while building reports, where the seam's async digest would only add noise.
 */
export function fingerprintOf(der: Uint8Array): string {
  return colonHex(new Uint8Array(createHash('sha256').update(der).digest()));
}

/** SHA-256 of a file's bytes, lower-case hex as `sha256sum` prints it (manifest.json's `sha256`). */
export function sha256Hex(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}

/** True when both are the same certificate, byte for byte. */
export function sameCertificate(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return Buffer.from(a.der).equals(Buffer.from(b.der));
}
