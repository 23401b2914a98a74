import type { PkiCrypto } from '../crypto.js';
import type { CertificateRequestSpec } from '../csr/types.js';
import { PkiError } from '../errors.js';
import { describeKeySpec, type KeySpec } from '../keys/algorithms.js';
import { generateKeyPair } from '../keys/generate.js';
import { readPrivateKey } from '../keys/read.js';
import type { KeyPair } from '../keys/types.js';
import { encodePrivateKey } from '../keys/write.js';
import { PEM_LABELS, encodePem, type Der } from '../pem/pem.js';
import type { SigningProfile } from '../profiles/types.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { issueCertificate } from '../signing/issue.js';
import { subjectFromSpec } from '../signing/operations.js';
import { validityWindow } from '../signing/validity.js';
import { sanList, type SubjectAltNames } from '../x509/hosts.js';
import { encodeName } from '../x509/name.js';
import { isSignedBy, parseCertificate, publicKeyMatches, type ParsedCertificate } from '../x509/parse.js';
import { canonicalIp } from './rules.js';
import type { CertificateRole } from './types.js';

/** One certificate and key a bundle needs. */
export interface CredentialRequest {
  readonly role: CertificateRole;
  /** The member or client it belongs to; for the shared server certificate, every member. */
  readonly owners: readonly string[];
  /** Where its certificate goes in the bundle (one per owner), and its key, in the same order. */
  readonly certificatePaths: readonly string[];
  readonly keyPaths: readonly string[];
  readonly request: CertificateRequestSpec;
  readonly profile: SigningProfile;
}

/** What happened to a certificate on this run. */
export type CredentialStatus = 'issued' | 'kept' | 'reissued';

/** A certificate and key, new or kept, with what manifest.json records of the certificate. */
export interface Credential {
  /** The certificate file's bytes: kept byte for byte, or the new PEM. */
  readonly certificate: string | Uint8Array;
  /** The key file's bytes: kept byte for byte when the key existed, else the new PEM. */
  readonly key: string | Uint8Array;
  readonly der: Der;
  readonly notAfter: Date;
  readonly sans: readonly string[];
  readonly status: CredentialStatus;
  /** Why a certificate was re-issued, or a note on a kept key. */
  readonly reason?: string;
  readonly warning?: string;
}

export interface ProvideCredentialContext {
  readonly ca: CertificateAuthority;
  /** The bundle as it is on disk, by relative path. */
  readonly existing: ReadonlyMap<string, Uint8Array>;
  readonly now: Date;
  readonly crypto: PkiCrypto;
  /** Replace keys that are unreadable or of another algorithm than asked, instead of failing or keeping them. */
  readonly force: boolean;
}

/**
 * The certificate and key for `request`: kept when the bundle already holds a matching pair, the
 * certificate re-issued for the existing key when it no longer fits (other CA, hosts, subject,
 * usages, expired), and both made only when there is no usable key. An existing key is never
 * replaced unless `force` is set and it is unreadable or of another algorithm.
 */
export async function provideCredential(request: CredentialRequest, context: ProvideCredentialContext): Promise<Credential> {
  const found = request.keyPaths.findIndex((path) => context.existing.has(path));
  let keyPair: KeyPair | undefined;
  let keyFile: string | Uint8Array | undefined;
  let warning: string | undefined;
  if (found >= 0) {
    const path = request.keyPaths[found]!;
    const bytes = context.existing.get(path)!;
    try {
      keyPair = readPrivateKey(bytes, path);
      keyFile = bytes;
    } catch (error) {
      if (!context.force) {
        throw error instanceof PkiError
          ? new PkiError(error.code, error.message, { file: path, hint: 'remove it, or pass --force to make a new key', cause: error })
          : error;
      }
    }
    if (keyPair && !sameKeySpec(keyPair.spec, request.request.key)) {
      const note = `${path} is ${describeKeySpec(keyPair.spec)}, not the ${describeKeySpec(request.request.key)} asked for`;
      if (context.force) {
        keyPair = undefined;
        keyFile = undefined;
      } else {
        warning = `${note}; kept (pass --force to replace it)`;
      }
    }
  }

  let reason: string | undefined;
  if (keyPair && keyFile !== undefined) {
    const certificatePath = request.certificatePaths[found]!;
    const bytes = context.existing.get(certificatePath);
    if (bytes === undefined) {
      reason = 'its certificate was missing';
    } else {
      let parsed: ParsedCertificate | undefined;
      try {
        parsed = parseCertificate(bytes, certificatePath);
      } catch {
        reason = 'its certificate could not be read';
      }
      if (parsed) {
        reason = await staleness(parsed, keyPair, request, context);
        if (reason === undefined) {
          return {
            certificate: bytes,
            key: keyFile,
            der: parsed.der,
            notAfter: parsed.notAfter,
            sans: sanList(parsed.sans),
            status: 'kept',
            ...(warning ? { warning } : {}),
          };
        }
      }
    }
  }

  const status: CredentialStatus = keyPair ? 'reissued' : 'issued';
  keyPair ??= await generateKeyPair(request.request.key);
  const der = await issueCertificate({
    subject: subjectFromSpec(request.request, keyPair),
    ca: context.ca,
    profile: request.profile,
    now: context.now,
    crypto: context.crypto,
  });
  return {
    certificate: encodePem(PEM_LABELS.certificate, der),
    key: keyFile ?? encodePrivateKey(keyPair, 'portable'),
    der,
    notAfter: validityWindow(request.profile, context.now).notAfter,
    sans: sanList(request.request.sans),
    status,
    ...(reason ? { reason } : {}),
    ...(warning ? { warning } : {}),
  };
}

/** Why an existing certificate no longer fits its request, or undefined when it does. */
async function staleness(
  parsed: ParsedCertificate,
  key: KeyPair,
  request: CredentialRequest,
  context: ProvideCredentialContext,
): Promise<string | undefined> {
  if (!publicKeyMatches(parsed, key.publicKey)) return 'its certificate is not for its key';
  const ca = context.ca.certificate;
  if (!Buffer.from(parsed.issuer).equals(Buffer.from(ca.subject)) || !(await isSignedBy(parsed, ca))) {
    return 'its certificate was issued by another CA';
  }
  if (parsed.notAfter.getTime() <= context.now.getTime()) return 'its certificate has expired';
  if (!Buffer.from(parsed.subject).equals(Buffer.from(encodeName(request.request.subject)))) return 'its subject changed';
  if (sanKey(parsed.sans) !== sanKey(request.request.sans)) {
    return `its hosts changed (now ${sanList(request.request.sans).join(', ') || 'none'})`;
  }
  const usages = parsed.extensions.extKeyUsage ?? [];
  if (!request.profile.extKeyUsage.every((oid) => usages.includes(oid))) return 'its certificate lacks a usage its role needs';
  return undefined;
}

function sameKeySpec(a: KeySpec, b: KeySpec): boolean {
  return describeKeySpec(a) === describeKeySpec(b);
}

// SANs compared as sets: DNS names ignoring case, IP addresses in one spelling.
function sanKey(sans: SubjectAltNames): string {
  return [
    ...sans.dns.map((d) => `dns:${d.toLowerCase()}`),
    ...sans.ip.map((ip) => `ip:${canonicalIp(ip)}`),
    ...sans.email.map((e) => `email:${e}`),
    ...sans.uri.map((u) => `uri:${u}`),
  ]
    .sort()
    .join('\n');
}
