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
} from './bundle/load.js';
export { CLUSTER_DEFAULTS, EXAMPLE_CLUSTER } from './bundle/defaults.js';
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
} from './bundle/types.js';
export {
  planClusterBundle,
  type PlanClusterBundleOptions,
  type ClusterBundle,
  type CertificateOutcome,
} from './bundle/plan.js';
export { planAddMember, type AddMemberOptions, type AddMemberResult } from './bundle/add-member.js';
export {
  readManifest,
  MANIFEST_FORMAT,
  FILE_ROLES,
  type BundleManifest,
  type ManifestFile,
  type ManifestCertificate,
  type FileRole,
} from './bundle/manifest.js';
export { BUNDLE_FILES, memberFileNames, clientFileNames } from './bundle/layout.js';
export { memberUrls, initialClusters, clientEndpoints, type MemberUrls } from './bundle/urls.js';
export { ETCD_SETTINGS, memberSettings, type EtcdSettings, type EtcdSettingKey } from './bundle/settings.js';
export { renderEtcdConf } from './bundle/render/etcd-conf.js';
export { renderEtcdYaml } from './bundle/render/etcd-yaml.js';
export { renderEtcdctlEnv } from './bundle/render/etcdctl-env.js';
export { runDoctor, ALL_CHECKS, DEFAULT_WARN_DAYS, type DoctorOptions, type DoctorReport } from './doctor/doctor.js';
export { CHECKS, SEVERITIES, type CheckId, type Finding, type Severity, type SubjectKind } from './doctor/findings.js';
export { formatDoctorReport, describeChecks } from './doctor/report.js';
export { parseConfigFile, memberConfigFromSettings, settingsFromEnv, clientConfigFromEnv, type ParsedConfig } from './etcd-config/member-config.js';
export { parseEnvFile, type EnvEntry } from './etcd-config/env-file.js';
export { parseEtcdYaml } from './etcd-config/yaml-config.js';
export { parseEtcdCommandLine } from './etcd-config/command-line.js';
export { bundleInput, deployMembers, deployClients, uniqueLabels, type BundleFile, type BundleInput } from './doctor/deploy.js';
export { probeEndpoint, type EndpointProbe, type ProbeEndpointOptions, type LiveMember, type TlsAttempt } from './net/endpoint-probe.js';
export { lookupUser, accountNames, canRead } from './doctor/access.js';
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
} from './etcd-config/model.js';
export { readBundleInventory, type BundleInventory, type BundleCertificateFile, type LifecycleRole } from './lifecycle/inventory.js';
export {
  expirationReport,
  bundleExpirationInputs,
  type ExpirationReport,
  type ExpirationReportOptions,
  type ExpirationEntry,
  type ExpirationInput,
  type ExpirationStatus,
} from './lifecycle/expiration.js';
export { deployedCertificateRefs, deployedExpirationInputs } from './lifecycle/deployed.js';
export { planRenewal, type PlanRenewalOptions, type RenewalPlan, type RenewSelection, type RenewedCertificate } from './lifecycle/renew.js';
export { planCaRotation, type PlanCaRotationOptions, type CaRotationPlan, type RotationDeployment } from './lifecycle/rotation/rotate-ca.js';
export { rotationStatus, rotationProbes, type RotationStatus, type RotationStatusOptions, type RotationProbes } from './lifecycle/rotation/status.js';
export { assessDeployment, type AssessDeploymentOptions, type DeploymentAssessment } from './lifecycle/deployment.js';
export { renderSteps } from './lifecycle/steps.js';
