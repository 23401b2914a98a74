/**
 * etcd-pki/bundle: a whole etcd cluster's PKI and configuration from one description. Load and
 * check a cluster description (cluster.json), plan the bundle (CA, member and client certificates
 * and keys, etcd.conf, etcd.yaml, etcdctl env, install.sh, manifest.json) as a FileSet, add a
 * member to an existing bundle, render single files. Planning writes nothing: the caller writes
 * the FileSet (the CLI does it atomically, keys 0600).
 */
export {
  loadClusterDescription,
  normaliseClusterDescription,
  validateClusterDescription,
  completeClusterJson,
  type LoadClusterOptions,
} from '../bundle/load.js';
export { CLUSTER_DEFAULTS, EXAMPLE_CLUSTER } from '../bundle/defaults.js';
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
} from '../bundle/types.js';
export {
  planClusterBundle,
  type PlanClusterBundleOptions,
  type ClusterBundle,
  type CertificateOutcome,
} from '../bundle/plan.js';
export { planAddMember, type AddMemberOptions, type AddMemberResult } from '../bundle/add-member.js';
export {
  readManifest,
  MANIFEST_FORMAT,
  FILE_ROLES,
  type BundleManifest,
  type ManifestFile,
  type ManifestCertificate,
  type FileRole,
} from '../bundle/manifest.js';
export { BUNDLE_FILES, memberFileNames, clientFileNames } from '../bundle/layout.js';
export { memberUrls, initialClusters, clientEndpoints, type MemberUrls } from '../bundle/urls.js';
export { ETCD_SETTINGS, memberSettings, type EtcdSettings, type EtcdSettingKey } from '../bundle/settings.js';
export { renderEtcdConf } from '../bundle/render/etcd-conf.js';
export { renderEtcdYaml } from '../bundle/render/etcd-yaml.js';
export { renderEtcdctlEnv } from '../bundle/render/etcdctl-env.js';
