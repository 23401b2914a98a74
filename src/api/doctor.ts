/**
 * etcd-pki/doctor: checks a deployed etcd cluster's TLS set-up (configuration, files, trust,
 * names, roles, time, cluster, clients, live endpoints) and reports findings with the fix. Read
 * etcd's configuration (env file, YAML config file, command line) with the parsers here, give
 * runDoctor the files it names, and, for live checks, what probeEndpoint saw.
 */
// Every function is exported through boundary(): whatever it is called with, it fails with a
// PkiError (issue 18). The CLI imports the modules themselves and pays nothing for this.
import { boundary } from '../boundary.js';
export { DEFAULT_WARN_DAYS, type DoctorOptions, type DoctorReport } from '../doctor/doctor.js';
import { runDoctor as runDoctorUnchecked } from '../doctor/doctor.js';
export const runDoctor = boundary('runDoctor', runDoctorUnchecked) as typeof runDoctorUnchecked;
export { CHECKS, SEVERITIES, type CheckId, type Finding, type Severity, type SubjectKind } from '../doctor/findings.js';
import { formatDoctorReport as formatDoctorReportUnchecked, describeChecks as describeChecksUnchecked } from '../doctor/report.js';
export const formatDoctorReport = boundary('formatDoctorReport', formatDoctorReportUnchecked) as typeof formatDoctorReportUnchecked;
export const describeChecks = boundary('describeChecks', describeChecksUnchecked) as typeof describeChecksUnchecked;
export { type ParsedConfig } from '../etcd-config/member-config.js';
import {
  parseConfigFile as parseConfigFileUnchecked,
  memberConfigFromSettings as memberConfigFromSettingsUnchecked,
  settingsFromEnv as settingsFromEnvUnchecked,
  clientConfigFromEnv as clientConfigFromEnvUnchecked,
} from '../etcd-config/member-config.js';
export const parseConfigFile = boundary('parseConfigFile', parseConfigFileUnchecked) as typeof parseConfigFileUnchecked;
export const memberConfigFromSettings = boundary(
  'memberConfigFromSettings',
  memberConfigFromSettingsUnchecked,
) as typeof memberConfigFromSettingsUnchecked;
export const settingsFromEnv = boundary('settingsFromEnv', settingsFromEnvUnchecked) as typeof settingsFromEnvUnchecked;
export const clientConfigFromEnv = boundary('clientConfigFromEnv', clientConfigFromEnvUnchecked) as typeof clientConfigFromEnvUnchecked;
export { type EnvEntry } from '../etcd-config/env-file.js';
import { parseEnvFile as parseEnvFileUnchecked } from '../etcd-config/env-file.js';
export const parseEnvFile = boundary('parseEnvFile', parseEnvFileUnchecked) as typeof parseEnvFileUnchecked;
import { parseEtcdYaml as parseEtcdYamlUnchecked } from '../etcd-config/yaml-config.js';
export const parseEtcdYaml = boundary('parseEtcdYaml', parseEtcdYamlUnchecked) as typeof parseEtcdYamlUnchecked;
import { parseEtcdCommandLine as parseEtcdCommandLineUnchecked } from '../etcd-config/command-line.js';
export const parseEtcdCommandLine = boundary('parseEtcdCommandLine', parseEtcdCommandLineUnchecked) as typeof parseEtcdCommandLineUnchecked;
export { type BundleFile, type BundleInput } from '../doctor/deploy.js';
import {
  bundleInput as bundleInputUnchecked,
  deployMembers as deployMembersUnchecked,
  deployClients as deployClientsUnchecked,
  uniqueLabels as uniqueLabelsUnchecked,
} from '../doctor/deploy.js';
export const bundleInput = boundary('bundleInput', bundleInputUnchecked) as typeof bundleInputUnchecked;
export const deployMembers = boundary('deployMembers', deployMembersUnchecked) as typeof deployMembersUnchecked;
export const deployClients = boundary('deployClients', deployClientsUnchecked) as typeof deployClientsUnchecked;
export const uniqueLabels = boundary('uniqueLabels', uniqueLabelsUnchecked) as typeof uniqueLabelsUnchecked;
export { type EndpointProbe, type ProbeEndpointOptions, type LiveMember, type TlsAttempt } from '../net/endpoint-probe.js';
import { probeEndpoint as probeEndpointUnchecked } from '../net/endpoint-probe.js';
export const probeEndpoint = boundary('probeEndpoint', probeEndpointUnchecked) as typeof probeEndpointUnchecked;
export {
  type MemberConfig,
  type ClientConfig,
  type DeployedMember,
  type DeployedClient,
  type DeployedFile,
  type FileStat,
  type RunAsUser,
  type ConfigSettings,
} from '../etcd-config/model.js';
import { memberFilePaths as memberFilePathsUnchecked, clientFilePaths as clientFilePathsUnchecked } from '../etcd-config/model.js';
export const memberFilePaths = boundary('memberFilePaths', memberFilePathsUnchecked) as typeof memberFilePathsUnchecked;
export const clientFilePaths = boundary('clientFilePaths', clientFilePathsUnchecked) as typeof clientFilePathsUnchecked;
