import { defaultPkiCrypto, type PkiCrypto } from '../crypto.js';
import { generateRequest } from '../csr/generate.js';
import type { CertificateRequestSpec } from '../csr/types.js';
import { PkiError } from '../errors.js';
import { keySpecOf } from '../keys/describe.js';
import type { KeyPair, KeyFormat } from '../keys/types.js';
import { encodePrivateKey, subjectPublicKeyInfo } from '../keys/write.js';
import { PEM_LABELS, encodePem, type Pem } from '../pem/pem.js';
import { DEFAULT_CA_EXPIRY } from '../profiles/defaults.js';
import { defaultSigningPolicy } from '../profiles/load.js';
import type { SigningProfile } from '../profiles/types.js';
import { KEY_USAGE_BITS } from '../profiles/usages.js';
import { parseGoDuration } from '../duration.js';
import { encodeName, goSubjectName, subjectNameOf, type SubjectName } from '../x509/name.js';
import { parseCertificationRequest, verifyCertificationRequest } from '../x509/request.js';
import { EMPTY_SANS, MAX_HOSTS, classifyHosts, type SubjectAltNames } from '../x509/hosts.js';
import { parseCertificate } from '../x509/parse.js';
import { randomSelfSignedSerial } from '../x509/serial.js';
import type { CertificateAuthority } from './authority.js';
import { buildAndSign, issueCertificate, type CertificateSubject } from './issue.js';
import { DEFAULT_BACKDATE_MS } from '../profiles/defaults.js';

/** PEM outputs of an operation, under the keys cfssl prints (`cert`, `csr`, `key`). */
export interface IssuedPem {
  /** The certificate, when one was issued. */
  readonly cert?: Pem;
  /** The PKCS#10 request. */
  readonly csr?: Pem;
  /** The private key, only when this operation generated it. */
  readonly key?: Pem;
  /** The generated or given key pair, for callers that keep working with it. */
  readonly keyPair?: KeyPair;
}

/** A certificate with its request (initca with a given key, sign). */
export type CertificateWithRequest = IssuedPem & { readonly cert: Pem; readonly csr: Pem };
/** A certificate, its request and the new key (gencert, selfsign). */
export type CertificateWithKey = CertificateWithRequest & { readonly key: Pem; readonly keyPair: KeyPair };
/** A new key and its request (genkey). */
export type RequestWithKey = IssuedPem & { readonly csr: Pem; readonly key: Pem; readonly keyPair: KeyPair };

interface CommonOptions {
  /** Issuance time; default now. */
  readonly now?: Date;
  /** The crypto seam; default one made on first use. */
  readonly crypto?: PkiCrypto;
  /** How a generated key is written; default `cfssl` (SEC1 / PKCS#1). */
  readonly keyFormat?: KeyFormat;
}

export interface InitCaOptions extends CommonOptions {
  readonly request: CertificateRequestSpec;
  /** Use this key instead of generating one (`gencert -initca -ca-key`). */
  readonly key?: KeyPair;
}

const CA_KEY_USAGE = KEY_USAGE_BITS['cert sign'] | KEY_USAGE_BITS['crl sign'];

/**
 * A self-signed root CA, as `cfssl gencert -initca` makes it: KeyUsage certSign + cRLSign,
 * CA:TRUE with the request's pathlen, SKI, no AKI, five years unless `ca.expiry` says otherwise,
 * only the IP addresses of the hosts as SANs, the request's `crl_url` as CRL distribution point.
 * `authority` is the new CA, ready to pass to generateCertificate.
 * @throws PkiError INVALID_REQUEST for a request without CN or names (cfssl: "missing subject information").
 */
export async function initCA(
  options: InitCaOptions,
): Promise<CertificateWithRequest & { readonly keyPair: KeyPair; readonly authority: CertificateAuthority }> {
  const crypto = options.crypto ?? defaultPkiCrypto();
  const { request } = options;
  if (!request.subject.commonName && !request.namesSubject) {
    // cfssl initca's validator: a CA needs a CN, or names[] entries that each say something.
    throw new PkiError('INVALID_REQUEST', 'missing subject information: a CA needs a CN or names', {
      path: '',
      hint: 'add "CN", or "names" entries with C, ST, L, O or OU',
    });
  }
  const { key, csr } = await generateRequest(request, options.key);
  const subjectName = encodeName(request.subject);
  const ca = request.ca;
  const cert = await buildAndSign({
    // cfssl's local signer keeps only the IP addresses of a new root's hosts.
    subject: { subject: subjectName, subjectPublicKeyInfo: subjectPublicKeyInfo(key), sans: { ...EMPTY_SANS, ip: request.sans.ip } },
    issuerName: subjectName,
    issuerKeyId: undefined,
    signer: key,
    keyUsage: CA_KEY_USAGE,
    extKeyUsage: [],
    constraints: { isCA: true, pathLen: ca?.pathLen },
    validity: { expiry: ca?.expiry ?? parseGoDuration(DEFAULT_CA_EXPIRY), backdate: ca?.backdate || DEFAULT_BACKDATE_MS },
    now: options.now ?? new Date(),
    crypto,
    crls: request.crlUrl ? [request.crlUrl] : [],
  });
  return {
    cert: encodePem(PEM_LABELS.certificate, cert),
    csr: encodePem(PEM_LABELS.certificateRequest, csr),
    ...(options.key ? {} : { key: encodePrivateKey(key, options.keyFormat) }),
    keyPair: key,
    authority: { certificate: parseCertificate(cert), key },
  };
}

export interface GenerateCertificateOptions extends CommonOptions {
  readonly request: CertificateRequestSpec;
  readonly ca: CertificateAuthority;
  readonly profile: SigningProfile;
}

/** A new key, its request and a certificate from `ca` (`cfssl gencert -ca -ca-key`). */
export async function generateCertificate(options: GenerateCertificateOptions): Promise<CertificateWithKey> {
  const { key, csr } = await generateRequest(options.request);
  const cert = await issueCertificate({
    subject: subjectFromSpec(options.request, key),
    ca: options.ca,
    profile: options.profile,
    ...common(options),
  });
  return {
    cert: encodePem(PEM_LABELS.certificate, cert),
    csr: encodePem(PEM_LABELS.certificateRequest, csr),
    key: encodePrivateKey(key, options.keyFormat),
    keyPair: key,
  };
}

export interface SignRequestOptions extends CommonOptions {
  /** A PKCS#10 request, PEM or DER. */
  readonly csr: Uint8Array | string;
  /** Name of the request's file, for messages. */
  readonly file?: string | undefined;
  readonly ca: CertificateAuthority;
  readonly profile: SigningProfile;
  /** Replace the request's SANs (cfssl `sign -hostname`). */
  readonly hosts?: readonly string[] | undefined;
  /**
   * cfssl's `sign CSR SUBJECT`: its CN, C, ST, L, O, OU and serial number, each taken from the
   * request where the SUBJECT leaves it empty; the request's other attributes are dropped.
   */
  readonly subjectOverride?: SubjectName | undefined;
}

/**
 * A request's SANs, held to the rules of a CSR JSON's hosts (cfssl carries them into the
 * certificate unchecked): no more than MAX_HOSTS, and DNS names a TLS client can match (no
 * spaces, ports, CIDR ranges, misplaced wildcards, raw UTF-8 or IPv4 look-alikes).
 * @throws PkiError INVALID_HOST naming the request file.
 */
function checkedSans(sans: SubjectAltNames, file: string | undefined): SubjectAltNames {
  const count = sans.dns.length + sans.ip.length + sans.email.length + sans.uri.length;
  if (count > MAX_HOSTS) {
    throw new PkiError('INVALID_HOST', `the request names ${count} SANs, more than the ${MAX_HOSTS} one certificate may name`, {
      file,
      hint: 'TLS peers refuse certificates that large; give each member its own request',
    });
  }
  classifyHosts(sans.dns, { file });
  return sans;
}

/**
 * Signs an existing PKCS#10 request (`cfssl sign`): checks its signature, takes its subject, key
 * and SANs (or `hosts`), and refuses a CA request unless the profile may issue CAs.
 */
export async function signRequest(options: SignRequestOptions): Promise<CertificateWithRequest> {
  const parsed = parseCertificationRequest(options.csr, options.file);
  await verifyCertificationRequest(parsed, options.file);
  // Only keys etcd-pki would generate itself: no RSA under 2048 bits, no curve but P-256/384/521.
  keySpecOf(parsed.publicKey, options.file);
  // cfssl reads the requester's Name into Go's pkix.Name and writes it again (so an IA5String
  // email comes out as UTF8String, attributes in Go's order), or overrides it with SUBJECT.
  const read = goSubjectName(parsed.subject);
  const name = options.subjectOverride ? overrideSubject(options.subjectOverride, read ?? subjectNameOf(parsed.subject)) : read;
  const subject: CertificateSubject = {
    subject: name ? encodeName(name) : parsed.subject,
    commonName: name ? name.commonName : subjectNameOf(parsed.subject).commonName,
    subjectPublicKeyInfo: parsed.subjectPublicKeyInfo,
    sans: options.hosts ? classifyHosts(options.hosts, { asCfssl: () => undefined }) : checkedSans(parsed.sans, options.file),
    requestsCA: parsed.extensions.basicConstraints?.isCA ?? false,
  };
  try {
    const cert = await issueCertificate({ subject, ca: options.ca, profile: options.profile, ...common(options) });
    return { cert: encodePem(PEM_LABELS.certificate, cert), csr: encodePem(PEM_LABELS.certificateRequest, parsed.der) };
  } catch (error) {
    // Policy errors carry the ca-config path they come from; only the others are the request's.
    throw error instanceof PkiError && error.path === undefined ? error.inFile(options.file) : error;
  }
}

// cfssl's PopulateSubjectFromCSR: SUBJECT's fields, each empty one filled from the request.
function overrideSubject(override: SubjectName, request: SubjectName): SubjectName {
  const pick = (key: 'country' | 'province' | 'locality' | 'organization' | 'organizationalUnit'): readonly string[] =>
    (override[key]?.length ? override[key] : request[key]) ?? [];
  return {
    commonName: override.commonName || request.commonName,
    country: pick('country'),
    province: pick('province'),
    locality: pick('locality'),
    organization: pick('organization'),
    organizationalUnit: pick('organizationalUnit'),
    serialNumber: override.serialNumber || request.serialNumber,
  };
}

export interface GenerateKeyOptions extends CommonOptions {
  readonly request: CertificateRequestSpec;
}

/** A new key and its request (`cfssl genkey`). */
export async function generateKey(options: GenerateKeyOptions): Promise<RequestWithKey> {
  const { key, csr } = await generateRequest(options.request);
  return {
    csr: encodePem(PEM_LABELS.certificateRequest, csr),
    key: encodePrivateKey(key, options.keyFormat),
    keyPair: key,
  };
}

export interface CreateRequestOptions {
  readonly request: CertificateRequestSpec;
  readonly key: KeyPair;
}

/** A request for an existing key (`cfssl gencsr -key`). */
export async function createRequest(options: CreateRequestOptions): Promise<IssuedPem & { readonly csr: Pem }> {
  const { csr } = await generateRequest(options.request, options.key);
  return { csr: encodePem(PEM_LABELS.certificateRequest, csr) };
}

export interface SelfSignOptions extends CommonOptions {
  readonly request: CertificateRequestSpec;
}

// cfssl selfsign (selfsign.Sign): NotBefore = now - 5 minutes and NotAfter = now + 2190h (three
// months), neither rounded to the minute; measured with cfssl 1.2 (fixtures/cfssl/selfsign.pem).
const SELF_SIGNED_VALIDITY_MS = 2190 * 3_600_000 + DEFAULT_BACKDATE_MS;

/**
 * A self-signed leaf certificate (`cfssl selfsign`), with cfssl's default usages and a validity
 * of three months. cfssl warns that these are for testing only; so does the CLI.
 */
export async function selfSign(options: SelfSignOptions): Promise<CertificateWithKey> {
  const crypto = options.crypto ?? defaultPkiCrypto();
  const { key, csr } = await generateRequest(options.request);
  const profile = defaultSigningPolicy().defaultProfile;
  const subject = subjectFromSpec(options.request, key);
  const now = options.now ?? new Date();
  const cert = await buildAndSign({
    subject,
    issuerName: subject.subject,
    issuerKeyId: undefined,
    signer: key,
    keyUsage: profile.keyUsage,
    extKeyUsage: profile.extKeyUsage,
    constraints: { isCA: false },
    serial: randomSelfSignedSerial(),
    validity: {
      expiry: SELF_SIGNED_VALIDITY_MS,
      backdate: 0,
      notBefore: new Date(Math.floor(now.getTime() / 1000) * 1000 - DEFAULT_BACKDATE_MS),
    },
    now,
    crypto,
  });
  return {
    cert: encodePem(PEM_LABELS.certificate, cert),
    csr: encodePem(PEM_LABELS.certificateRequest, csr),
    key: encodePrivateKey(key, options.keyFormat),
    keyPair: key,
  };
}

/** The certificate subject of a request spec and its key. */
export function subjectFromSpec(spec: CertificateRequestSpec, key: KeyPair): CertificateSubject {
  return {
    subject: encodeName(spec.subject),
    commonName: spec.subject.commonName,
    subjectPublicKeyInfo: subjectPublicKeyInfo(key),
    sans: spec.sans,
  };
}

function common(options: CommonOptions): { now?: Date; crypto?: PkiCrypto } {
  return {
    ...(options.now ? { now: options.now } : {}),
    ...(options.crypto ? { crypto: options.crypto } : {}),
  };
}
