/**
 * etcd-pki: a cfssl-compatible PKI library for etcd clusters.
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
export type { SubjectName } from './x509/name.js';
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
export {
  loadClusterDescription,
  normaliseClusterDescription,
  validateClusterDescription,
  completeClusterJson,
  type LoadClusterOptions,
} from './etcd/load.js';
export { CLUSTER_DEFAULTS, EXAMPLE_CLUSTER } from './etcd/defaults.js';
export type {
  ClusterJson,
  MemberJson,
  ClientJson,
  ExpiryJson,
  ClusterDescription,
  Member,
  Client,
  CertificateRole,
  InitialClusterState,
} from './etcd/types.js';
export {
  planClusterBundle,
  type PlanClusterBundleOptions,
  type ClusterBundle,
  type CertificateOutcome,
} from './etcd/plan.js';
export { planAddMember, type AddMemberOptions, type AddMemberResult } from './etcd/add-member.js';
export {
  readManifest,
  MANIFEST_FORMAT,
  FILE_ROLES,
  type BundleManifest,
  type ManifestFile,
  type ManifestCertificate,
  type FileRole,
} from './etcd/manifest.js';
export { BUNDLE_FILES, memberFileNames, clientFileNames } from './etcd/layout.js';
export { memberUrls, initialClusters, clientEndpoints, type MemberUrls } from './etcd/urls.js';
export { ETCD_SETTINGS, memberSettings, type EtcdSettings, type EtcdSettingKey } from './etcd/settings.js';
export { renderEtcdConf } from './etcd/render/etcd-conf.js';
export { renderEtcdYaml } from './etcd/render/etcd-yaml.js';
export { renderEtcdctlEnv } from './etcd/render/etcdctl-env.js';
export { runDoctor, ALL_CHECKS, DEFAULT_WARN_DAYS, type DoctorOptions, type DoctorReport } from './etcd/doctor/doctor.js';
export { CHECKS, SEVERITIES, type CheckId, type Finding, type Severity, type SubjectKind } from './etcd/doctor/findings.js';
export { formatDoctorReport, describeChecks } from './etcd/doctor/report.js';
export { parseConfigFile, memberConfigFromSettings, settingsFromEnv, clientConfigFromEnv, type ParsedConfig } from './etcd/doctor/member-config.js';
export { parseEnvFile, type EnvEntry } from './etcd/doctor/env-file.js';
export { parseEtcdYaml } from './etcd/doctor/yaml-config.js';
export { parseEtcdCommandLine } from './etcd/doctor/command-line.js';
export { bundleInput, deployMembers, deployClients, uniqueLabels, type BundleFile, type BundleInput } from './etcd/doctor/deploy.js';
export { probeEndpoint, type EndpointProbe, type ProbeEndpointOptions, type LiveMember, type TlsAttempt } from './etcd/doctor/endpoint-probe.js';
export { lookupUser, accountNames, canRead } from './etcd/doctor/access.js';
export {
  memberFilePaths,
  clientFilePaths,
  type MemberConfig,
  type ClientConfig,
  type DeployedMember,
  type DeployedClient,
  type DeployedFile,
  type FileStat,
  type RunAsUser,
  type ConfigSettings,
} from './etcd/doctor/model.js';
export { readBundleInventory, type BundleInventory, type BundleCertificateFile, type LifecycleRole } from './etcd/lifecycle/inventory.js';
export {
  expirationReport,
  bundleExpirationInputs,
  type ExpirationReport,
  type ExpirationReportOptions,
  type ExpirationEntry,
  type ExpirationInput,
  type ExpirationStatus,
} from './etcd/lifecycle/expiration.js';
export { deployedCertificateRefs, deployedExpirationInputs } from './etcd/lifecycle/deployed.js';
export { planRenewal, type PlanRenewalOptions, type RenewalPlan, type RenewSelection, type RenewedCertificate } from './etcd/lifecycle/renew.js';
export { planCaRotation, type PlanCaRotationOptions, type CaRotationPlan, type RotationDeployment } from './etcd/lifecycle/rotate-ca.js';
export { rotationStatus, rotationProbes, type RotationStatus, type RotationStatusOptions, type RotationProbes } from './etcd/lifecycle/rotation-status.js';
export { assessDeployment, type AssessDeploymentOptions, type DeploymentAssessment } from './etcd/lifecycle/deployment.js';
export { renderSteps } from './etcd/lifecycle/steps.js';
