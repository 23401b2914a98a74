/**
 * etcd-pki: a cfssl-compatible PKI library for etcd clusters; this is its cfssl core (keys,
 * requests, profiles, initca/gencert/sign/selfsign, certinfo). The etcd features have their own
 * entry points: `etcd-pki/bundle`, `etcd-pki/doctor`, `etcd-pki/lifecycle`.
 * Named re-exports only; importing this module has no side effects.
 */
// Every function is exported through boundary(): whatever it is called with, it fails with a
// PkiError (issue 18). The CLI imports the modules themselves and pays nothing for this.
import { boundary } from './boundary.js';
export { PkiError, ERROR_CODES, isPkiError, type ErrorCode, type PkiErrorOptions } from './errors.js';
export { type Milliseconds, type GoDuration } from './duration.js';
import { parseGoDuration as parseGoDurationUnchecked, formatGoDuration as formatGoDurationUnchecked } from './duration.js';
export const parseGoDuration = boundary('parseGoDuration', parseGoDurationUnchecked) as typeof parseGoDurationUnchecked;
export const formatGoDuration = boundary('formatGoDuration', formatGoDurationUnchecked) as typeof formatGoDurationUnchecked;
export { type PkiCrypto } from './crypto.js';
import { createPkiCrypto as createPkiCryptoUnchecked } from './crypto.js';
export const createPkiCrypto = boundary('createPkiCrypto', createPkiCryptoUnchecked) as typeof createPkiCryptoUnchecked;
export { PEM_LABELS, type Pem, type Der, type PemBlock } from './pem/pem.js';
import { encodePem as encodePemUnchecked, decodePemBlocks as decodePemBlocksUnchecked } from './pem/pem.js';
export const encodePem = boundary('encodePem', encodePemUnchecked) as typeof encodePemUnchecked;
export const decodePemBlocks = boundary('decodePemBlocks', decodePemBlocksUnchecked) as typeof decodePemBlocksUnchecked;
export { DEFAULT_KEY_SPEC, type KeySpec, type KeyAlgorithm, type EcdsaSize } from './keys/algorithms.js';
import { signatureAlgorithmFor as signatureAlgorithmForUnchecked, describeKeySpec as describeKeySpecUnchecked } from './keys/algorithms.js';
export const signatureAlgorithmFor = boundary(
  'signatureAlgorithmFor',
  signatureAlgorithmForUnchecked,
) as typeof signatureAlgorithmForUnchecked;
export const describeKeySpec = boundary('describeKeySpec', describeKeySpecUnchecked) as typeof describeKeySpecUnchecked;
import { generateKeyPair as generateKeyPairUnchecked } from './keys/generate.js';
export const generateKeyPair = boundary('generateKeyPair', generateKeyPairUnchecked) as typeof generateKeyPairUnchecked;
import { readPrivateKey as readPrivateKeyUnchecked } from './keys/read.js';
export const readPrivateKey = boundary('readPrivateKey', readPrivateKeyUnchecked) as typeof readPrivateKeyUnchecked;
import { encodePrivateKey as encodePrivateKeyUnchecked } from './keys/write.js';
export const encodePrivateKey = boundary('encodePrivateKey', encodePrivateKeyUnchecked) as typeof encodePrivateKeyUnchecked;
export type { KeyPair, KeyFormat } from './keys/types.js';
export { type SubjectAltNames } from './x509/hosts.js';
import { classifyHosts as classifyHostsUnchecked } from './x509/hosts.js';
export const classifyHosts = boundary('classifyHosts', classifyHostsUnchecked) as typeof classifyHostsUnchecked;
export { type SubjectName } from './x509/name.js';
import {
  formatName as formatNameUnchecked,
  subjectNameOf as subjectNameOfUnchecked,
  nameValues as nameValuesUnchecked,
} from './x509/name.js';
export const formatName = boundary('formatName', formatNameUnchecked) as typeof formatNameUnchecked;
export const subjectNameOf = boundary('subjectNameOf', subjectNameOfUnchecked) as typeof subjectNameOfUnchecked;
export const nameValues = boundary('nameValues', nameValuesUnchecked) as typeof nameValuesUnchecked;
export { type ParsedCertificate } from './x509/parse.js';
import {
  parseCertificate as parseCertificateUnchecked,
  parseCertificateBundle as parseCertificateBundleUnchecked,
  isSignedBy as isSignedByUnchecked,
} from './x509/parse.js';
export const parseCertificate = boundary('parseCertificate', parseCertificateUnchecked) as typeof parseCertificateUnchecked;
export const parseCertificateBundle = boundary(
  'parseCertificateBundle',
  parseCertificateBundleUnchecked,
) as typeof parseCertificateBundleUnchecked;
export const isSignedBy = boundary('isSignedBy', isSignedByUnchecked) as typeof isSignedByUnchecked;
export { type ParsedRequest } from './x509/request.js';
import {
  parseCertificationRequest as parseCertificationRequestUnchecked,
  verifyCertificationRequest as verifyCertificationRequestUnchecked,
} from './x509/request.js';
export const parseCertificationRequest = boundary(
  'parseCertificationRequest',
  parseCertificationRequestUnchecked,
) as typeof parseCertificationRequestUnchecked;
export const verifyCertificationRequest = boundary(
  'verifyCertificationRequest',
  verifyCertificationRequestUnchecked,
) as typeof verifyCertificationRequestUnchecked;
export { type CertificateInfo, type RequestInfo, type CertinfoName } from './x509/certinfo.js';
import { certificateInfo as certificateInfoUnchecked, requestInfo as requestInfoUnchecked } from './x509/certinfo.js';
export const certificateInfo = boundary('certificateInfo', certificateInfoUnchecked) as typeof certificateInfoUnchecked;
export const requestInfo = boundary('requestInfo', requestInfoUnchecked) as typeof requestInfoUnchecked;
import {
  loadSigningPolicy as loadSigningPolicyUnchecked,
  defaultSigningPolicy as defaultSigningPolicyUnchecked,
  normaliseSigningPolicy as normaliseSigningPolicyUnchecked,
} from './profiles/load.js';
export const loadSigningPolicy = boundary('loadSigningPolicy', loadSigningPolicyUnchecked) as typeof loadSigningPolicyUnchecked;
export const defaultSigningPolicy = boundary('defaultSigningPolicy', defaultSigningPolicyUnchecked) as typeof defaultSigningPolicyUnchecked;
export const normaliseSigningPolicy = boundary(
  'normaliseSigningPolicy',
  normaliseSigningPolicyUnchecked,
) as typeof normaliseSigningPolicyUnchecked;
import { resolveProfile as resolveProfileUnchecked } from './profiles/resolve.js';
export const resolveProfile = boundary('resolveProfile', resolveProfileUnchecked) as typeof resolveProfileUnchecked;
export { USAGE_NAMES, type UsageName } from './profiles/usages.js';
export { EXAMPLE_CA_CONFIG, DEFAULT_CA_CONFIG } from './profiles/defaults.js';
export type { CaConfigJson, ProfileJson, SigningPolicy, SigningProfile, CaConstraint } from './profiles/types.js';
import {
  loadCertificateRequest as loadCertificateRequestUnchecked,
  normaliseCertificateRequest as normaliseCertificateRequestUnchecked,
} from './csr/load.js';
export const loadCertificateRequest = boundary(
  'loadCertificateRequest',
  loadCertificateRequestUnchecked,
) as typeof loadCertificateRequestUnchecked;
export const normaliseCertificateRequest = boundary(
  'normaliseCertificateRequest',
  normaliseCertificateRequestUnchecked,
) as typeof normaliseCertificateRequestUnchecked;
export { type RequestOverrides } from './csr/overrides.js';
import { withOverrides as withOverridesUnchecked } from './csr/overrides.js';
export const withOverrides = boundary('withOverrides', withOverridesUnchecked) as typeof withOverridesUnchecked;
export { EXAMPLE_CSR } from './csr/defaults.js';
export type { CsrJson, CertificateRequestSpec, CaRequest } from './csr/types.js';
export { type CertificateAuthority, type LoadAuthorityOptions } from './signing/authority.js';
import { loadCertificateAuthority as loadCertificateAuthorityUnchecked } from './signing/authority.js';
export const loadCertificateAuthority = boundary(
  'loadCertificateAuthority',
  loadCertificateAuthorityUnchecked,
) as typeof loadCertificateAuthorityUnchecked;
export {
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
import {
  initCA as initCAUnchecked,
  generateCertificate as generateCertificateUnchecked,
  signRequest as signRequestUnchecked,
  generateKey as generateKeyUnchecked,
  createRequest as createRequestUnchecked,
  selfSign as selfSignUnchecked,
} from './signing/operations.js';
export const initCA = boundary('initCA', initCAUnchecked) as typeof initCAUnchecked;
export const generateCertificate = boundary('generateCertificate', generateCertificateUnchecked) as typeof generateCertificateUnchecked;
export const signRequest = boundary('signRequest', signRequestUnchecked) as typeof signRequestUnchecked;
export const generateKey = boundary('generateKey', generateKeyUnchecked) as typeof generateKeyUnchecked;
export const createRequest = boundary('createRequest', createRequestUnchecked) as typeof createRequestUnchecked;
export const selfSign = boundary('selfSign', selfSignUnchecked) as typeof selfSignUnchecked;
export type { FileSet, PlannedFile } from './fileset.js';
export { type GenerateCrlOptions } from './signing/gencrl.js';
import { generateCrl as generateCrlUnchecked, parseSerialLines as parseSerialLinesUnchecked } from './signing/gencrl.js';
export const generateCrl = boundary('generateCrl', generateCrlUnchecked) as typeof generateCrlUnchecked;
export const parseSerialLines = boundary('parseSerialLines', parseSerialLinesUnchecked) as typeof parseSerialLinesUnchecked;
export { REVOCATION_REASONS, type CrlTemplate, type RevocationReason, type RevokedEntry } from './x509/crl.js';
import { signCrl as signCrlUnchecked } from './x509/crl.js';
export const signCrl = boundary('signCrl', signCrlUnchecked) as typeof signCrlUnchecked;
export { type ParsedCrl, type ParsedRevokedEntry } from './x509/crl-read.js';
import { parseCrl as parseCrlUnchecked, crlIssuedBy as crlIssuedByUnchecked, crlRevokes as crlRevokesUnchecked } from './x509/crl-read.js';
export const parseCrl = boundary('parseCrl', parseCrlUnchecked) as typeof parseCrlUnchecked;
export const crlIssuedBy = boundary('crlIssuedBy', crlIssuedByUnchecked) as typeof crlIssuedByUnchecked;
export const crlRevokes = boundary('crlRevokes', crlRevokesUnchecked) as typeof crlRevokesUnchecked;
