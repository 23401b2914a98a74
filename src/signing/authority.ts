import { PkiError } from '../errors.js';
import { readPrivateKey } from '../keys/read.js';
import type { KeyPair } from '../keys/types.js';
import { parseCertificate, publicKeyMatches, type ParsedCertificate } from '../x509/parse.js';

/** A CA that signs: its certificate and the matching private key. */
export interface CertificateAuthority {
  readonly certificate: ParsedCertificate;
  readonly key: KeyPair;
}

export interface LoadAuthorityOptions {
  /** The CA certificate, PEM or DER (cfssl's `-ca`). */
  certificate: Uint8Array | string;
  /** The CA private key, any label (cfssl's `-ca-key`). */
  key: Uint8Array | string;
  certificateFile?: string | undefined;
  keyFile?: string | undefined;
}

/**
 * Reads a CA made by etcd-pki, cfssl or openssl, and checks that the key belongs to the
 * certificate and that the certificate may sign (CA:TRUE), before any key is generated.
 * @throws PkiError KEY_MISMATCH, INVALID_CERTIFICATE, or a parse error naming the file.
 */
export function loadCertificateAuthority(options: LoadAuthorityOptions): CertificateAuthority {
  const certificate = parseCertificate(options.certificate, options.certificateFile);
  const key = readPrivateKey(options.key, options.keyFile);
  assertAuthority(certificate, key, options);
  return { certificate, key };
}

/** The checks of loadCertificateAuthority, for a CA already in memory. */
export function assertAuthority(
  certificate: ParsedCertificate,
  key: KeyPair,
  files: { certificateFile?: string | undefined; keyFile?: string | undefined } = {},
): void {
  if (!publicKeyMatches(certificate, key.publicKey)) {
    throw new PkiError('KEY_MISMATCH', 'the CA key does not match the CA certificate', {
      file: files.keyFile,
      hint: `pass the key that was generated with ${files.certificateFile ?? 'the CA certificate'}`,
    });
  }
  if (!certificate.isCA) {
    throw new PkiError('INVALID_CERTIFICATE', 'the CA certificate is not a CA (BasicConstraints CA:FALSE)', {
      file: files.certificateFile,
      hint: 'pass the root or intermediate CA certificate, not a leaf',
    });
  }
}
