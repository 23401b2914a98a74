import { defaultPkiCrypto, type PkiCrypto } from '../crypto.js';
import { PkiError } from '../errors.js';
import type { Der } from '../pem/pem.js';
import type { SigningProfile } from '../profiles/types.js';
import { signCertificate } from '../x509/certificate.js';
import { authorityInfoAccessExtension, crlDistributionPointsExtension } from '../x509/extensions/distribution.js';
import { basicConstraintsExtension, type BasicConstraints } from '../x509/extensions/basic-constraints.js';
import { extKeyUsageExtension } from '../x509/extensions/ext-key-usage.js';
import { authorityKeyIdentifierExtension, subjectKeyIdentifierExtension } from '../x509/extensions/key-identifiers.js';
import { keyUsageExtension } from '../x509/extensions/key-usage.js';
import type { CertificateExtension } from '../x509/extensions/extension.js';
import { hasSans, subjectAltNameExtension } from '../x509/extensions/subject-alt-name.js';
import { EMPTY_SANS, type SubjectAltNames } from '../x509/hosts.js';
import { keyIdentifier } from '../x509/key-id.js';
import { randomSerial } from '../x509/serial.js';
import type { CertificateAuthority } from './authority.js';
import { validityWindow, type ValidityPolicy } from './validity.js';
import type { KeyPair } from '../keys/types.js';

/** What the certificate is about: taken from a request, already checked. */
export interface CertificateSubject {
  /** DER Name. */
  readonly subject: Uint8Array;
  /** The subject's common name, for name_whitelist. */
  readonly commonName?: string | undefined;
  readonly subjectPublicKeyInfo: Der;
  readonly sans: SubjectAltNames;
  /** The request asked for CA:TRUE. */
  readonly requestsCA?: boolean;
}

export interface IssueCertificateOptions {
  readonly subject: CertificateSubject;
  readonly ca: CertificateAuthority;
  readonly profile: SigningProfile;
  /** Issuance time; default now. */
  readonly now?: Date;
  /** The crypto seam; default one made on first use. */
  readonly crypto?: PkiCrypto;
}

/**
 * Issues a certificate as cfssl's local signer does: v3, random 20-byte serial, validity from
 * the profile, KeyUsage (critical), ExtendedKeyUsage in the profile's order, BasicConstraints
 * (critical), SKI, AKI from the CA's SKI, AIA and CRL DP when configured, SANs.
 * @throws PkiError POLICY_VIOLATION for a name_whitelist miss or a CA request on a non-CA profile.
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<Der> {
  const { subject, ca, profile } = options;
  await enforcePolicy(subject, profile);
  const crypto = options.crypto ?? defaultPkiCrypto();
  const constraints: BasicConstraints = profile.caConstraint?.isCA
    ? { isCA: true, pathLen: pathLenOf(profile.caConstraint) }
    : { isCA: false };
  return buildAndSign({
    // cfssl's FillTemplate: a CA certificate keeps only the IP addresses of its SANs.
    subject: profile.caConstraint?.isCA ? { ...subject, sans: { ...EMPTY_SANS, ip: subject.sans.ip } } : subject,
    issuerName: ca.certificate.subject,
    issuerKeyId: ca.certificate.extensions.subjectKeyId,
    signer: ca.key,
    keyUsage: profile.keyUsage,
    extKeyUsage: profile.extKeyUsage,
    constraints,
    validity: profile,
    now: options.now ?? new Date(),
    crypto,
    ocsp: profile.ocspUrl ? [profile.ocspUrl] : [],
    issuers: profile.issuerUrls,
    crls: profile.crlUrl ? [profile.crlUrl] : [],
  });
}

function pathLenOf(ca: { maxPathLen: number; maxPathLenZero: boolean }): number | undefined {
  if (ca.maxPathLen > 0) return ca.maxPathLen;
  return ca.maxPathLenZero ? 0 : undefined;
}

async function enforcePolicy(subject: CertificateSubject, profile: SigningProfile): Promise<void> {
  if (subject.requestsCA && !profile.caConstraint?.isCA) {
    throw new PkiError('POLICY_VIOLATION', `the request asks for a CA certificate but profile "${profile.name}" cannot issue one`, {
      file: profile.file,
      path: profile.path,
      hint: 'use a profile with "ca_constraint": {"is_ca": true}',
    });
  }
  const whitelist = profile.nameWhitelist;
  if (!whitelist) return;
  // cfssl checks the CN, DNS names, emails and URIs, not IP addresses; a match anywhere counts.
  const names = [...(subject.commonName ? [subject.commonName] : []), ...subject.sans.dns, ...subject.sans.email, ...subject.sans.uri];
  let miss: string | undefined;
  for (const name of names) {
    if (!whitelist.test(name)) {
      miss = name;
      break;
    }
    // Linear, but a long name and a large pattern take a while: let a SIGTERM in between names.
    if (names.length > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  if (miss !== undefined) {
    throw new PkiError('POLICY_VIOLATION', `name ${JSON.stringify(miss)} is not allowed by profile "${profile.name}"`, {
      file: profile.file,
      path: `${profile.path}/name_whitelist`,
      hint: `names must match ${whitelist.source}; change the CN and hosts, or use another profile`,
    });
  }
}

/** Everything buildAndSign needs; shared by issue, initca and selfsign. */
export interface BuildCertificateOptions {
  readonly subject: CertificateSubject;
  /** DER Name of the issuer; for self-signed certificates, the subject. */
  readonly issuerName: Uint8Array;
  /** The issuer's SKI, written as AKI; undefined (self-signed, or an issuer without SKI) writes none. */
  readonly issuerKeyId: Uint8Array | undefined;
  readonly signer: KeyPair;
  readonly keyUsage: number;
  readonly extKeyUsage: readonly string[];
  readonly constraints: BasicConstraints;
  readonly validity: ValidityPolicy;
  readonly now: Date;
  readonly crypto: PkiCrypto;
  readonly ocsp?: readonly string[];
  readonly issuers?: readonly string[];
  readonly crls?: readonly string[];
  /** The serial's DER INTEGER contents; default cfssl's 20 random bytes (randomSerial). */
  readonly serial?: Uint8Array;
}

/** The extensions in Go's x509 order (KU, EKU, BC, SKI, AKI, AIA, SAN, CRL DP), then signing. */
export async function buildAndSign(options: BuildCertificateOptions): Promise<Der> {
  const { subject } = options;
  const extensions: CertificateExtension[] = [];
  if (options.keyUsage !== 0) extensions.push(keyUsageExtension(options.keyUsage));
  if (options.extKeyUsage.length > 0) extensions.push(extKeyUsageExtension(options.extKeyUsage));
  extensions.push(basicConstraintsExtension(options.constraints));
  extensions.push(subjectKeyIdentifierExtension(await keyIdentifier(subject.subjectPublicKeyInfo, options.crypto)));
  // Go's x509 writes no AKI on a self-issued certificate (issuer Name = subject Name), even
  // when another key signs it.
  if (options.issuerKeyId && !sameBytes(options.issuerName, subject.subject)) {
    extensions.push(authorityKeyIdentifierExtension(options.issuerKeyId));
  }
  if ((options.ocsp?.length ?? 0) + (options.issuers?.length ?? 0) > 0) {
    extensions.push(authorityInfoAccessExtension(options.ocsp ?? [], options.issuers ?? []));
  }
  if (hasSans(subject.sans)) extensions.push(subjectAltNameExtension(subject.sans, isEmptyName(subject.subject)));
  if (options.crls?.length) extensions.push(crlDistributionPointsExtension(options.crls));
  const { notBefore, notAfter } = validityWindow(options.validity, options.now);
  return signCertificate(
    {
      serial: options.serial ?? randomSerial(),
      issuer: options.issuerName,
      subject: subject.subject,
      notBefore,
      notAfter,
      subjectPublicKeyInfo: subject.subjectPublicKeyInfo,
      extensions,
    },
    options.signer,
    options.crypto,
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

// An empty Name is the two bytes of an empty SEQUENCE.
function isEmptyName(der: Uint8Array): boolean {
  return der.length === 2;
}
