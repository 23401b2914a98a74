import { PkiError } from '../errors.js';
import { readPrivateKey } from '../keys/read.js';
import type { KeyPair } from '../keys/types.js';
import { KEY_USAGE_BITS } from '../profiles/usages.js';
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
  // RFC 5280 4.2.1.3: a CA's key usage, when present, must include keyCertSign; OpenSSL and Go
  // reject every certificate issued by one without it, so cfssl's output would be unusable.
  const usage = certificate.extensions.keyUsage;
  if (usage && (usage.bits & KEY_USAGE_BITS['cert sign']) === 0) {
    throw new PkiError(
      'INVALID_CERTIFICATE',
      "the CA certificate's key usage lacks keyCertSign (cert sign): nothing it signs would verify",
      {
        file: files.certificateFile,
        hint: 'make the CA again with "cert sign" in its usages (gencert -initca does), or pass the CA that has it',
      },
    );
  }
}
