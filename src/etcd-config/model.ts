/**
 * What doctor checks: members and clients as deployed, parsed from their configuration, with the
 * bytes and stat data of every file that configuration names. Built by the caller (the CLI reads
 * the disk); nothing here touches it.
 */

/** Where a setting was written: `etcd4/etcd.conf` line 5, key `ETCD_NAME`. */
export interface SettingSource {
  /** The configuration file as the user named it, or `command line`. */
  readonly file: string;
  readonly line?: number | undefined;
  /** The key as written there: `ETCD_NAME`, `name`, `peer-transport-security.cert-file`, `--name`. */
  readonly key: string;
}

export interface Setting {
  readonly value: string;
  readonly source: SettingSource;
}

/** A setting etcd will not read as written: unknown, misplaced, or an invalid value. */
export interface SettingProblem {
  readonly source: SettingSource;
  /** FAIL when etcd refuses to start over it, WARN when it ignores the setting. */
  readonly severity: 'WARN' | 'FAIL';
  readonly message: string;
  readonly fix: string;
}

/** One configuration, whatever its format, as etcd flag name -> value. */
export interface ConfigSettings {
  readonly format: 'env' | 'yaml' | 'command-line';
  /** The file as the user named it, or `command line`. */
  readonly file: string;
  /** By etcd flag name (`peer-cert-file`); the last one written wins, as in etcd. */
  readonly values: ReadonlyMap<string, Setting>;
  readonly problems: readonly SettingProblem[];
}

/** One `name=url` of `--initial-cluster`. */
export interface InitialClusterEntry {
  readonly name: string;
  readonly url: string;
}

/** One side (client or peer) of a member's TLS settings. */
export interface TransportSecurity {
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly trustedCaFile?: string | undefined;
  readonly clientCertAuth: boolean;
  readonly autoTls: boolean;
}

/** A member's configuration, with etcd's defaults for what it leaves out. */
export interface MemberConfig {
  /** The configuration file as the user named it, or `command line`. */
  readonly source: string;
  readonly settings: ConfigSettings;
  /** `ETCD_NAME`; etcd's default is `default`. */
  readonly name: string;
  readonly dataDir?: string | undefined;
  readonly listenClientUrls: readonly string[];
  readonly advertiseClientUrls: readonly string[];
  readonly listenPeerUrls: readonly string[];
  readonly initialAdvertisePeerUrls: readonly string[];
  readonly initialCluster: readonly InitialClusterEntry[];
  /** `--initial-cluster` entries that are not `name=url`. */
  readonly initialClusterErrors: readonly string[];
  readonly initialClusterToken: string;
  readonly initialClusterState: string;
  readonly client: TransportSecurity;
  readonly peer: TransportSecurity;
}

/** An etcdctl environment (`ETCDCTL_*`), as cluster-bundle writes `<client>.env`. */
export interface ClientConfig {
  readonly source: string;
  /** The client's name: its bundle directory, or the file name. */
  readonly name: string;
  readonly settings: ConfigSettings;
  readonly endpoints: readonly string[];
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

/** What stat(2) says about a file or directory. */
export interface FileStat {
  /** Permission bits and file type, as `fs.Stats.mode`. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** A file a configuration names, as found (or not) by the caller. */
export interface DeployedFile {
  /** The path as the configuration writes it. */
  readonly path: string;
  /** Where it was actually read (after `-root` or bundle mapping), for messages. */
  readonly location: string;
  /** Contents; absent when the file could not be read. */
  readonly bytes?: Uint8Array | undefined;
  readonly stat?: FileStat | undefined;
  /** Why it could not be read: `missing`, `not a file`, `permission denied`, ... */
  readonly error?: string | undefined;
  /** The directories above it, outermost first, for the search-permission check. */
  readonly directories?: ReadonlyArray<{ readonly path: string; readonly stat: FileStat }> | undefined;
}

/** The user etcd runs as, with every group it belongs to. */
export interface RunAsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** Supplementary group ids. */
  readonly groups: readonly number[];
}

/** A member as deployed: its configuration and the files it names, keyed by configured path. */
export interface DeployedMember extends MemberConfig {
  /** How the report names it: its name, or name and file when two configurations share a name. */
  readonly label: string;
  readonly files: ReadonlyMap<string, DeployedFile>;
  /**
   * Why the files' owners are not checked against the user etcd runs as: set for a bundle, whose
   * files get their owner from install.sh. Default: checked when runDoctor is given a user.
   */
  readonly accessNote?: string | undefined;
}

export interface DeployedClient extends ClientConfig {
  readonly label: string;
  readonly files: ReadonlyMap<string, DeployedFile>;
}

/** Every TLS file path a member's configuration names (deduplicated, in a stable order). */
export function memberFilePaths(config: MemberConfig): string[] {
  const paths = [
    config.client.certFile,
    config.client.keyFile,
    config.client.trustedCaFile,
    config.peer.certFile,
    config.peer.keyFile,
    config.peer.trustedCaFile,
  ].filter((path): path is string => path !== undefined && path !== '');
  return [...new Set(paths)];
}

/** Every file path a client configuration names. */
export function clientFilePaths(config: ClientConfig): string[] {
  const paths = [config.caFile, config.certFile, config.keyFile].filter((p): p is string => p !== undefined && p !== '');
  return [...new Set(paths)];
}

/**
 * Report labels: a member's name, or `name (file)` for every member whose name another
 * configuration also uses (the walkthrough's etcd4 block says `ETCD_NAME="etcd3"`).
 */
export function memberLabels(configs: readonly MemberConfig[]): string[] {
  const count = new Map<string, number>();
  for (const config of configs) count.set(config.name, (count.get(config.name) ?? 0) + 1);
  return configs.map((config) => ((count.get(config.name) ?? 0) > 1 ? `${config.name} (${config.source})` : config.name));
}
