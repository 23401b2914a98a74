/**
 * etcd 3.4's configuration names, as `etcd --help` lists them, and the keys etcd 3.5's sample
 * config file adds (`self-signed-cert-validity`): each flag's environment variable is
 * `ETCD_` + the flag upper-cased with `-` as `_`, and its config-file key is the flag name, except
 * the TLS settings, which a config file nests under `client-transport-security` and
 * `peer-transport-security`. `enable-grpc-gateway` is not in the help but is a flag (default true);
 * a config file must set it, or etcd serves no /v3 JSON API (render/etcd-yaml.ts).
 */
export const ETCD_FLAGS = [
  'advertise-client-urls',
  'auth-token',
  'auth-token-ttl',
  'auto-compaction-mode',
  'auto-compaction-retention',
  'auto-tls',
  'backend-batch-interval',
  'backend-batch-limit',
  'bcrypt-cost',
  'cert-file',
  'cipher-suites',
  'client-cert-allowed-hostname',
  'client-cert-auth',
  'client-crl-file',
  'config-file',
  'cors',
  'data-dir',
  'debug',
  'discovery',
  'discovery-fallback',
  'discovery-proxy',
  'discovery-srv',
  'discovery-srv-name',
  'election-timeout',
  'enable-grpc-gateway',
  'enable-pprof',
  'enable-v2',
  'experimental-backend-bbolt-freelist-type',
  'experimental-compaction-batch-limit',
  'experimental-corrupt-check-time',
  'experimental-enable-lease-checkpoint',
  'experimental-enable-v2v3',
  'experimental-initial-corrupt-check',
  'experimental-peer-skip-client-san-verification',
  'experimental-warning-apply-duration',
  'experimental-watch-progress-notify-interval',
  'force-new-cluster',
  'grpc-keepalive-interval',
  'grpc-keepalive-min-time',
  'grpc-keepalive-timeout',
  'heartbeat-interval',
  'host-whitelist',
  'initial-advertise-peer-urls',
  'initial-cluster',
  'initial-cluster-state',
  'initial-cluster-token',
  'initial-election-tick-advance',
  'key-file',
  'listen-client-urls',
  'listen-metrics-urls',
  'listen-peer-urls',
  'log-level',
  'log-outputs',
  'log-package-levels',
  'logger',
  'max-concurrent-streams',
  'max-request-bytes',
  'max-snapshots',
  'max-txn-ops',
  'max-wals',
  'metrics',
  'name',
  'peer-auto-tls',
  'peer-cert-allowed-cn',
  'peer-cert-allowed-hostname',
  'peer-cert-file',
  'peer-client-cert-auth',
  'peer-crl-file',
  'peer-key-file',
  'peer-trusted-ca-file',
  'pre-vote',
  'proxy',
  'proxy-dial-timeout',
  'proxy-failure-wait',
  'proxy-read-timeout',
  'proxy-refresh-interval',
  'proxy-write-timeout',
  'quota-backend-bytes',
  'self-signed-cert-validity',
  'snapshot-count',
  'strict-reconfig-check',
  'trusted-ca-file',
  'wal-dir',
] as const;

export type EtcdFlag = (typeof ETCD_FLAGS)[number];

/** Flags that take no separate value on a command line (`--client-cert-auth` means true). */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'auto-tls',
  'client-cert-auth',
  'debug',
  'enable-grpc-gateway',
  'enable-pprof',
  'enable-v2',
  'experimental-enable-lease-checkpoint',
  'experimental-initial-corrupt-check',
  'experimental-peer-skip-client-san-verification',
  'force-new-cluster',
  'initial-election-tick-advance',
  'peer-auto-tls',
  'peer-client-cert-auth',
  'pre-vote',
  'strict-reconfig-check',
]);

/**
 * Settings a config file may write as a YAML list (`log-outputs: [stderr]`): etcd's configuration
 * holds them as lists of strings, where a command line or ETCD_* variable joins them with commas.
 */
export const LIST_FLAGS: ReadonlySet<string> = new Set(['cipher-suites', 'log-outputs']);

/**
 * `client-transport-security` / `peer-transport-security` keys of a config file -> flags. No
 * `crl-file`: etcd 3.4 reads none from a config file (embed.securityConfig has no such field;
 * measured: `crl-file` there leaves `crl-file = ` in etcd's own log line).
 */
export const TRANSPORT_SECURITY_KEYS = {
  'client-transport-security': {
    'cert-file': 'cert-file',
    'key-file': 'key-file',
    'client-cert-auth': 'client-cert-auth',
    'trusted-ca-file': 'trusted-ca-file',
    'auto-tls': 'auto-tls',
    'allowed-hostname': 'client-cert-allowed-hostname',
  },
  'peer-transport-security': {
    'cert-file': 'peer-cert-file',
    'key-file': 'peer-key-file',
    'client-cert-auth': 'peer-client-cert-auth',
    'trusted-ca-file': 'peer-trusted-ca-file',
    'auto-tls': 'peer-auto-tls',
    'allowed-cn': 'peer-cert-allowed-cn',
    'allowed-hostname': 'peer-cert-allowed-hostname',
  },
} as const satisfies Record<string, Record<string, EtcdFlag>>;

/** Flags a config file only reads from their nested transport-security block. */
export const NESTED_ONLY_FLAGS: ReadonlySet<string> = new Set(
  Object.values(TRANSPORT_SECURITY_KEYS).flatMap((block) => Object.values(block) as string[]),
);

const KNOWN: ReadonlySet<string> = new Set(ETCD_FLAGS);

export function isEtcdFlag(name: string): name is EtcdFlag {
  return KNOWN.has(name);
}

/** `ETCD_PEER_CERT_FILE` <- `peer-cert-file`. */
export function envNameOf(flag: string): string {
  return `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** `peer-cert-file` <- `ETCD_PEER_CERT_FILE`. */
export function flagOfEnvName(name: string): string {
  return name
    .replace(/^ETCD_/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}
