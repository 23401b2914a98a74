/**
 * etcd-pki/doctor: checks a deployed etcd cluster's TLS set-up (configuration, files, trust,
 * names, roles, time, cluster, clients, live endpoints) and reports findings with the fix. Read
 * etcd's configuration (env file, YAML config file, command line) with the parsers here, give
 * runDoctor the files it names, and, for live checks, what probeEndpoint saw.
 */
export { runDoctor, DEFAULT_WARN_DAYS, type DoctorOptions, type DoctorReport } from '../doctor/doctor.js';
export { CHECKS, SEVERITIES, type CheckId, type Finding, type Severity, type SubjectKind } from '../doctor/findings.js';
export { formatDoctorReport, describeChecks } from '../doctor/report.js';
export { parseConfigFile, memberConfigFromSettings, settingsFromEnv, clientConfigFromEnv, type ParsedConfig } from '../etcd-config/member-config.js';
export { parseEnvFile, type EnvEntry } from '../etcd-config/env-file.js';
export { parseEtcdYaml } from '../etcd-config/yaml-config.js';
export { parseEtcdCommandLine } from '../etcd-config/command-line.js';
export { bundleInput, deployMembers, deployClients, uniqueLabels, type BundleFile, type BundleInput } from '../doctor/deploy.js';
export { probeEndpoint, type EndpointProbe, type ProbeEndpointOptions, type LiveMember, type TlsAttempt } from '../net/endpoint-probe.js';
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
} from '../etcd-config/model.js';
