/**
 * etcd-pki: a cfssl-compatible PKI library for etcd clusters; this is its cfssl core (keys,
 * requests, profiles, initca/gencert/sign/selfsign, certinfo). The etcd features have their own
 * entry points: `etcd-pki/bundle`, `etcd-pki/doctor`, `etcd-pki/lifecycle`.
 * Named re-exports only; importing this module has no side effects.
 */
export { PkiError, ERROR_CODES, isPkiError, type ErrorCode, type PkiErrorOptions } from './errors.js';
export { parseGoDuration, formatGoDuration, type Milliseconds, type GoDuration } from './duration.js';
export { createPkiCrypto, type PkiCrypto } from './crypto.js';
export { encodePem, decodePemBlocks, PEM_LABELS, type Pem, type Der, type PemBlock } from './pem/pem.js';
export {
  DEFAULT_KEY_SPEC,
  signatureAlgorithmFor,
  describeKeySpec,
  type KeySpec,
  type KeyAlgorithm,
  type EcdsaSize,
} from './keys/algorithms.js';
export { generateKeyPair } from './keys/generate.js';
export { readPrivateKey } from './keys/read.js';
export { encodePrivateKey } from './keys/write.js';
export type { KeyPair, KeyFormat } from './keys/types.js';
export { classifyHosts, type SubjectAltNames } from './x509/hosts.js';
export { formatName, subjectNameOf, nameValues, type SubjectName } from './x509/name.js';
export { parseCertificate, parseCertificateBundle, isSignedBy, type ParsedCertificate } from './x509/parse.js';
export { parseCertificationRequest, verifyCertificationRequest, type ParsedRequest } from './x509/request.js';
export { certificateInfo, requestInfo, type CertificateInfo, type RequestInfo, type CertinfoName } from './x509/certinfo.js';
export { loadSigningPolicy, defaultSigningPolicy, normaliseSigningPolicy } from './profiles/load.js';
export { resolveProfile } from './profiles/resolve.js';
export { USAGE_NAMES, type UsageName } from './profiles/usages.js';
export { EXAMPLE_CA_CONFIG, DEFAULT_CA_CONFIG } from './profiles/defaults.js';
export type { CaConfigJson, ProfileJson, SigningPolicy, SigningProfile, CaConstraint } from './profiles/types.js';
export { loadCertificateRequest, normaliseCertificateRequest } from './csr/load.js';
export { withOverrides, type RequestOverrides } from './csr/overrides.js';
export { EXAMPLE_CSR } from './csr/defaults.js';
export type { CsrJson, CertificateRequestSpec, CaRequest } from './csr/types.js';
export { loadCertificateAuthority, type CertificateAuthority, type LoadAuthorityOptions } from './signing/authority.js';
export {
  initCA,
  generateCertificate,
  signRequest,
  generateKey,
  createRequest,
  selfSign,
  type IssuedPem,
  type CertificateWithRequest,
  type CertificateWithKey,
  type RequestWithKey,
  type InitCaOptions,
  type GenerateCertificateOptions,
  type SignRequestOptions,
  type GenerateKeyOptions,
  type CreateRequestOptions,
  type SelfSignOptions,
} from './signing/operations.js';
export type { FileSet, PlannedFile } from './fileset.js';
