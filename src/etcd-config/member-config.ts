import { closest } from '../suggest.js';
import { ETCD_FLAGS, envNameOf, flagOfEnvName, isEtcdFlag } from './etcd-flags.js';
import { parseEnvFile, type EnvEntry } from './env-file.js';
import type {
  ClientConfig,
  ConfigSettings,
  InitialClusterEntry,
  MemberConfig,
  Setting,
  SettingProblem,
  TransportSecurity,
} from './model.js';
import { parseEtcdYaml } from './yaml-config.js';

/** etcd 3.4's defaults for the settings doctor reads (`etcd --help`). */
export const ETCD_DEFAULTS = {
  name: 'default',
  'listen-client-urls': 'http://localhost:2379',
  'advertise-client-urls': 'http://localhost:2379',
  'listen-peer-urls': 'http://localhost:2380',
  'initial-advertise-peer-urls': 'http://localhost:2380',
  'initial-cluster-token': 'etcd-cluster',
  'initial-cluster-state': 'new',
} as const;

/** A configuration file, read: a member's (`ETCD_*` or YAML) or a client's (`ETCDCTL_*`). */
export type ParsedConfig =
  { readonly kind: 'member'; readonly config: MemberConfig } | { readonly kind: 'client'; readonly config: ClientConfig };

/**
 * Reads a configuration file in whichever format it is: an environment file when its settings
 * are `KEY=value` lines (`ETCD_*` for a member, `ETCDCTL_*` for a client), else an etcd YAML
 * config file.
 * @throws PkiError INVALID_CONFIG for a file that is neither.
 */
export function parseConfigFile(text: string, file: string, options: { clientName?: string } = {}): ParsedConfig {
  if (detectConfigFormat(text) === 'yaml') return { kind: 'member', config: memberConfigFromSettings(parseEtcdYaml(text, file)) };
  const entries = parseEnvFile(text, file);
  const etcd = entries.filter((e) => e.key.startsWith('ETCD_')).length;
  const etcdctl = entries.filter((e) => e.key.startsWith('ETCDCTL_')).length;
  if (etcdctl > etcd) {
    const name = options.clientName ?? file.replace(/^.*\//, '').replace(/\.env$/, '');
    return { kind: 'client', config: clientConfigFromEnv(entries, file, name) };
  }
  return { kind: 'member', config: memberConfigFromSettings(settingsFromEnv(entries, file)) };
}

/** `env` when the first setting line is `KEY=value`, else `yaml`. */
export function detectConfigFormat(text: string): 'env' | 'yaml' {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---') continue;
    return /^(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed) ? 'env' : 'yaml';
  }
  return 'env';
}

/**
 * `ETCD_*` variables as etcd reads them: each is its flag's value; an `ETCD_` name that is no
 * flag is reported, as etcd logs "unrecognized environment variable" and ignores it.
 */
export function settingsFromEnv(entries: readonly EnvEntry[], file: string): ConfigSettings {
  const values = new Map<string, Setting>();
  const problems: SettingProblem[] = [];
  for (const entry of entries) {
    if (!entry.key.startsWith('ETCD_')) continue;
    const flag = flagOfEnvName(entry.key);
    const source = { file, line: entry.line, key: entry.key };
    if (!isEtcdFlag(flag) || flag === 'config-file') {
      const suggestion = closest(flag, ETCD_FLAGS);
      problems.push({
        source,
        severity: 'WARN',
        message: `etcd ignores ${entry.key} ("unrecognized environment variable")`,
        fix: suggestion ? `did you mean ${envNameOf(suggestion)}?` : 'remove it, or check the spelling against `etcd --help`',
      });
      continue;
    }
    values.set(flag, { value: entry.value, source });
  }
  return { format: 'env', file, values, problems };
}

/** A member's configuration from its settings, with etcd's defaults for what is not set. */
export function memberConfigFromSettings(settings: ConfigSettings): MemberConfig {
  const problems = [...settings.problems];
  const get = (flag: string) => settings.values.get(flag)?.value;
  const list = (flag: keyof typeof ETCD_DEFAULTS) => splitList(get(flag) ?? ETCD_DEFAULTS[flag]);
  const bool = (flag: string) => {
    const setting = settings.values.get(flag);
    if (!setting) return false;
    const parsed = parseBoolean(setting.value, settings.format);
    if (parsed === undefined) {
      problems.push({
        source: setting.source,
        severity: 'FAIL',
        message: `${setting.source.key} is ${JSON.stringify(setting.value)}, not a boolean; etcd refuses to start`,
        fix: `write ${setting.source.key.startsWith('ETCD_') ? `${setting.source.key}="true"` : 'true'} or false`,
      });
      return false;
    }
    return parsed;
  };
  const transport = (prefix: '' | 'peer-'): TransportSecurity => ({
    certFile: nonEmpty(get(`${prefix}cert-file`)),
    keyFile: nonEmpty(get(`${prefix}key-file`)),
    trustedCaFile: nonEmpty(get(`${prefix}trusted-ca-file`)),
    crlFile: nonEmpty(get(prefix === '' ? 'client-crl-file' : 'peer-crl-file')),
    clientCertAuth: bool(`${prefix}client-cert-auth`),
    autoTls: bool(`${prefix}auto-tls`),
  });

  const name = get('name') ?? ETCD_DEFAULTS.name;
  const initialAdvertisePeerUrls = list('initial-advertise-peer-urls');
  const clusterText = get('initial-cluster') ?? initialAdvertisePeerUrls.map((url) => `${name}=${url}`).join(',');
  const { entries: initialCluster, errors: initialClusterErrors } = parseInitialCluster(clusterText);
  const client = transport('');
  const peer = transport('peer-');
  return {
    source: settings.file,
    settings: { ...settings, problems },
    name,
    dataDir: get('data-dir'),
    listenClientUrls: list('listen-client-urls'),
    advertiseClientUrls: list('advertise-client-urls'),
    listenPeerUrls: list('listen-peer-urls'),
    initialAdvertisePeerUrls,
    initialCluster,
    initialClusterErrors,
    initialClusterToken: get('initial-cluster-token') ?? ETCD_DEFAULTS['initial-cluster-token'],
    initialClusterState: get('initial-cluster-state') ?? ETCD_DEFAULTS['initial-cluster-state'],
    client,
    peer,
  };
}

/** etcdctl's environment: v3 names (`ETCDCTL_CACERT`) and the v2 names the walkthrough uses (`ETCDCTL_CA_FILE`). */
export function clientConfigFromEnv(entries: readonly EnvEntry[], file: string, name: string): ClientConfig {
  const values = new Map<string, Setting>();
  for (const entry of entries) {
    if (entry.key.startsWith('ETCDCTL_')) values.set(entry.key, { value: entry.value, source: { file, line: entry.line, key: entry.key } });
  }
  const first = (...keys: string[]) => nonEmpty(keys.map((key) => values.get(key)?.value).find((v) => v !== undefined));
  return {
    source: file,
    name,
    settings: { format: 'env', file, values, problems: [] },
    endpoints: splitList(first('ETCDCTL_ENDPOINTS', 'ETCDCTL_ENDPOINT') ?? ''),
    caFile: first('ETCDCTL_CACERT', 'ETCDCTL_CA_FILE'),
    certFile: first('ETCDCTL_CERT', 'ETCDCTL_CERT_FILE'),
    keyFile: first('ETCDCTL_KEY', 'ETCDCTL_KEY_FILE'),
  };
}

/** `a=u1,b=u2` -> entries; pieces without `=` are errors (etcd: "missing = in initial cluster"). */
export function parseInitialCluster(text: string): { entries: InitialClusterEntry[]; errors: string[] } {
  const entries: InitialClusterEntry[] = [];
  const errors: string[] = [];
  for (const piece of splitList(text)) {
    const at = piece.indexOf('=');
    if (at <= 0) errors.push(piece);
    else entries.push({ name: piece.slice(0, at).trim(), url: piece.slice(at + 1).trim() });
  }
  return { entries, errors };
}

/**
 * How a report shows where a value came from: `ETCD_NAME="etcd3" (etcd4/etcd.conf:4)`,
 * `name: etcd3 (etcd4.yaml:1)`, `--name=etcd3 (command line)`; for an unset flag, etcd's default.
 */
export function describeSetting(settings: ConfigSettings, flag: string, fallback?: string): string {
  const setting = settings.values.get(flag);
  if (!setting) {
    const name = settings.format === 'env' ? envNameOf(flag) : settings.format === 'yaml' ? flag : `--${flag}`;
    return fallback === undefined
      ? `${name} is not set (${settings.file})`
      : `${name} is not set (etcd's default ${JSON.stringify(fallback)}; ${settings.file})`;
  }
  return `${settingText(setting)} (${sourceText(setting)})`;
}

/** `ETCD_NAME="etcd3"`, `name: etcd3`, `--name=etcd3`. */
export function settingText(setting: Setting): string {
  const { key } = setting.source;
  if (key.startsWith('--')) return `${key}=${setting.value}`;
  if (/^[A-Z_][A-Z0-9_]*$/.test(key)) return `${key}=${JSON.stringify(setting.value)}`;
  return `${key}: ${setting.value}`;
}

/** `etcd4/etcd.conf:4` or `command line`. */
export function sourceText(setting: Setting): string {
  return setting.source.line === undefined ? setting.source.file : `${setting.source.file}:${setting.source.line}`;
}

/** The name a setting has in its configuration's own syntax (`ETCD_INITIAL_CLUSTER`, `initial-cluster`, `--initial-cluster`). */
export function keyName(settings: ConfigSettings, flag: string): string {
  const setting = settings.values.get(flag);
  if (setting) return setting.source.key;
  if (settings.format === 'env') return envNameOf(flag);
  return settings.format === 'yaml' ? flag : `--${flag}`;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

// Go's strconv.ParseBool for flags and the environment; YAML 1.1 booleans for config files.
function parseBoolean(text: string, format: ConfigSettings['format']): boolean | undefined {
  if (/^(1|t|T|true|TRUE|True)$/.test(text)) return true;
  if (/^(0|f|F|false|FALSE|False)$/.test(text)) return false;
  if (format === 'yaml') {
    if (/^(y|Y|yes|Yes|YES|on|On|ON)$/.test(text)) return true;
    if (/^(n|N|no|No|NO|off|Off|OFF)$/.test(text)) return false;
  }
  return undefined;
}
