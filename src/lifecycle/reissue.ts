import type { PkiCrypto } from '../crypto.js';
import type { Milliseconds } from '../duration.js';
import { PkiError } from '../errors.js';
import { generateKeyPair } from '../keys/generate.js';
import { readPrivateKey } from '../keys/read.js';
import type { KeyPair } from '../keys/types.js';
import { encodePrivateKey, subjectPublicKeyInfo } from '../keys/write.js';
import { PEM_LABELS, encodePem, type Pem } from '../pem/pem.js';
import type { SigningProfile } from '../profiles/types.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { issueCertificate } from '../signing/issue.js';
import { classifyHosts, type SubjectAltNames } from '../x509/hosts.js';
import { subjectNameOf } from '../x509/name.js';
import { parseCertificate, publicKeyMatches, type ParsedCertificate } from '../x509/parse.js';

/** A certificate to issue again, and the key it was issued for. */
export interface ReissueTarget {
  /** The certificate file's path, for messages. */
  readonly path: string;
  readonly certificate: ParsedCertificate;
  /** The key file's bytes and path. */
  readonly key: { readonly path: string; readonly bytes: Uint8Array };
}

export interface ReissueOptions {
  readonly target: ReissueTarget;
  readonly ca: CertificateAuthority;
  /**
   * The role's profile (roles.ts): its usages are used only where the certificate carries none;
   * its validity applies unless `expiry` is given.
   */
  readonly profile: SigningProfile;
  /** Validity of the new certificate; default the profile's (the bundle's expiry for the role). */
  readonly expiry?: Milliseconds | undefined;
  /** Make a new key of the same algorithm and size instead of keeping the existing one. Default false. */
  readonly rotateKey?: boolean;
  /** The new certificate's SANs instead of the old one's (each checked as CSR hosts are). Default the old SANs. */
  readonly hosts?: readonly string[] | undefined;
  readonly now: Date;
  readonly crypto: PkiCrypto;
}

/** A certificate issued again: the new PEM, and the new key when one was made. */
export interface Reissued {
  readonly certificate: Pem;
  readonly parsed: ParsedCertificate;
  /** The new key's PEM, only with `rotateKey`. */
  readonly key?: Pem;
}

/**
 * Issues `target` again from `ca`: the same subject (its DER, byte for byte), SANs, key usage and
 * extended key usages, so that whatever checked the old certificate (etcd's client-cert CN for
 * RBAC, SAN checks, usages) accepts the new one; a new serial and validity from now.
 * @throws PkiError KEY_MISMATCH when the key file is not the certificate's key (unless `rotateKey`), INVALID_HOST for
 *   `hosts`, and parse errors naming the key file.
 */
export async function reissueCertificate(options: ReissueOptions): Promise<Reissued> {
  const { target, profile } = options;
  const old = target.certificate;
  const existingKey = readPrivateKey(target.key.bytes, target.key.path);
  // With rotateKey the old key is dropped anyway: a mismatch (a run killed between writing a new
  // key and its certificate) is what running the same command again repairs.
  if (!options.rotateKey && !publicKeyMatches(old, existingKey.publicKey)) {
    throw new PkiError('KEY_MISMATCH', `${target.key.path} is not the key of ${target.path}`, {
      file: target.key.path,
      hint: 'renew with -rotate-key to make a new key, or put the matching key back',
    });
  }
  const key: KeyPair = options.rotateKey ? await generateKeyPair(existingKey.spec) : existingKey;
  const sans: SubjectAltNames = options.hosts ? classifyHosts(options.hosts, { file: '-hosts' }) : old.sans;
  const usages = {
    keyUsage: old.extensions.keyUsage?.bits ?? profile.keyUsage,
    extKeyUsage: old.extensions.extKeyUsage ?? profile.extKeyUsage,
  };
  const der = await issueCertificate({
    subject: {
      subject: old.subject,
      commonName: subjectNameOf(old.subject).commonName,
      subjectPublicKeyInfo: subjectPublicKeyInfo(key),
      sans,
    },
    ca: options.ca,
    profile: { ...profile, ...usages, ...(options.expiry !== undefined ? { expiry: options.expiry } : {}) },
    now: options.now,
    crypto: options.crypto,
  });
  const certificate = encodePem(PEM_LABELS.certificate, der);
  return {
    certificate,
    parsed: parseCertificate(der, target.path),
    ...(options.rotateKey ? { key: encodePrivateKey(key, 'portable') } : {}),
  };
}
