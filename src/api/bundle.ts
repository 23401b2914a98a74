/**
 * etcd-pki/bundle: a whole etcd cluster's PKI and configuration from one description. Load and
 * check a cluster description (cluster.json), plan the bundle (CA, member and client certificates
 * and keys, etcd.conf, etcd.yaml, etcdctl env, install.sh, manifest.json) as a FileSet, add a
 * member to an existing bundle, render single files. Planning writes nothing: the caller writes
 * the FileSet (the CLI does it atomically, keys 0600).
 */
// Every function is exported through boundary(): whatever it is called with, it fails with a
// PkiError (issue 18). The CLI imports the modules themselves and pays nothing for this.
import { boundary } from '../boundary.js';
export { type LoadClusterOptions } from '../bundle/load.js';
import {
  loadClusterDescription as loadClusterDescriptionUnchecked,
  normaliseClusterDescription as normaliseClusterDescriptionUnchecked,
  validateClusterDescription as validateClusterDescriptionUnchecked,
  completeClusterJson as completeClusterJsonUnchecked,
} from '../bundle/load.js';
export const loadClusterDescription = boundary(
  'loadClusterDescription',
  loadClusterDescriptionUnchecked,
) as typeof loadClusterDescriptionUnchecked;
export const normaliseClusterDescription = boundary(
  'normaliseClusterDescription',
  normaliseClusterDescriptionUnchecked,
) as typeof normaliseClusterDescriptionUnchecked;
export const validateClusterDescription = boundary(
  'validateClusterDescription',
  validateClusterDescriptionUnchecked,
) as typeof validateClusterDescriptionUnchecked;
export const completeClusterJson = boundary('completeClusterJson', completeClusterJsonUnchecked) as typeof completeClusterJsonUnchecked;
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
export { type PlanClusterBundleOptions, type ClusterBundle, type CertificateOutcome } from '../bundle/plan.js';
import { planClusterBundle as planClusterBundleUnchecked } from '../bundle/plan.js';
export const planClusterBundle = boundary('planClusterBundle', planClusterBundleUnchecked) as typeof planClusterBundleUnchecked;
export { type AddMemberOptions, type AddMemberResult } from '../bundle/add-member.js';
import { planAddMember as planAddMemberUnchecked } from '../bundle/add-member.js';
export const planAddMember = boundary('planAddMember', planAddMemberUnchecked) as typeof planAddMemberUnchecked;
export {
  MANIFEST_FORMAT,
  FILE_ROLES,
  type BundleManifest,
  type ManifestFile,
  type ManifestCertificate,
  type FileRole,
} from '../bundle/manifest.js';
import { readManifest as readManifestUnchecked } from '../bundle/manifest.js';
export const readManifest = boundary('readManifest', readManifestUnchecked) as typeof readManifestUnchecked;
export { BUNDLE_FILES } from '../bundle/layout.js';
import { memberFileNames as memberFileNamesUnchecked, clientFileNames as clientFileNamesUnchecked } from '../bundle/layout.js';
export const memberFileNames = boundary('memberFileNames', memberFileNamesUnchecked) as typeof memberFileNamesUnchecked;
export const clientFileNames = boundary('clientFileNames', clientFileNamesUnchecked) as typeof clientFileNamesUnchecked;
export { type MemberUrls } from '../bundle/urls.js';
import {
  memberUrls as memberUrlsUnchecked,
  initialClusters as initialClustersUnchecked,
  clientEndpoints as clientEndpointsUnchecked,
} from '../bundle/urls.js';
export const memberUrls = boundary('memberUrls', memberUrlsUnchecked) as typeof memberUrlsUnchecked;
export const initialClusters = boundary('initialClusters', initialClustersUnchecked) as typeof initialClustersUnchecked;
export const clientEndpoints = boundary('clientEndpoints', clientEndpointsUnchecked) as typeof clientEndpointsUnchecked;
export { ETCD_SETTINGS, type EtcdSettings, type EtcdSettingKey } from '../bundle/settings.js';
import { memberSettings as memberSettingsUnchecked } from '../bundle/settings.js';
export const memberSettings = boundary('memberSettings', memberSettingsUnchecked) as typeof memberSettingsUnchecked;
import { renderEtcdConf as renderEtcdConfUnchecked } from '../bundle/render/etcd-conf.js';
export const renderEtcdConf = boundary('renderEtcdConf', renderEtcdConfUnchecked) as typeof renderEtcdConfUnchecked;
import { renderEtcdYaml as renderEtcdYamlUnchecked } from '../bundle/render/etcd-yaml.js';
export const renderEtcdYaml = boundary('renderEtcdYaml', renderEtcdYamlUnchecked) as typeof renderEtcdYamlUnchecked;
import { renderEtcdctlEnv as renderEtcdctlEnvUnchecked } from '../bundle/render/etcdctl-env.js';
export const renderEtcdctlEnv = boundary('renderEtcdctlEnv', renderEtcdctlEnvUnchecked) as typeof renderEtcdctlEnvUnchecked;
export { type RemoveMemberOptions, type RemoveMemberResult } from '../bundle/remove-member.js';
import { planRemoveMember as planRemoveMemberUnchecked } from '../bundle/remove-member.js';
export const planRemoveMember = boundary('planRemoveMember', planRemoveMemberUnchecked) as typeof planRemoveMemberUnchecked;
