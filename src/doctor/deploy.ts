import { parseConfigFile } from '../etcd-config/member-config.js';
import {
  clientFilePaths,
  memberFilePaths,
  memberLabels,
  type ClientConfig,
  type DeployedClient,
  type DeployedFile,
  type DeployedMember,
  type MemberConfig,
} from '../etcd-config/model.js';

/** A configuration and the files it names, as the caller found them. */
export interface MemberWithFiles {
  readonly config: MemberConfig;
  readonly files: ReadonlyMap<string, DeployedFile>;
}

export interface ClientWithFiles {
  readonly config: ClientConfig;
  readonly files: ReadonlyMap<string, DeployedFile>;
}

/**
 * Labels made unique across everything given (a bundle and -conf files may both hold `etcd1`):
 * the name, or `name (file)` where two share a name.
 */
export function uniqueLabels<T extends { readonly name: string; readonly source: string; readonly label: string }>(
  list: readonly T[],
): T[] {
  return list.map((item) => ({
    ...item,
    label: list.filter((o) => o.name === item.name).length > 1 ? `${item.name} (${item.source})` : item.name,
  }));
}

/** Members ready for runDoctor, labelled (see memberLabels). */
export function deployMembers(members: readonly MemberWithFiles[]): DeployedMember[] {
  const labels = memberLabels(members.map((m) => m.config));
  return members.map((m, i) => ({ ...m.config, label: labels[i]!, files: m.files }));
}

/** Clients ready for runDoctor, labelled by name (with the file when two share one). */
export function deployClients(clients: readonly ClientWithFiles[]): DeployedClient[] {
  return clients.map((c) => ({
    ...c.config,
    label: clients.filter((o) => o.config.name === c.config.name).length > 1 ? `${c.config.name} (${c.config.source})` : c.config.name,
    files: c.files,
  }));
}

/** A file of a bundle directory: its bytes and stat data. */
export interface BundleFile {
  readonly bytes: Uint8Array;
  readonly stat?: { readonly mode: number; readonly uid: number; readonly gid: number } | undefined;
}

/** What a cluster-bundle output directory holds, ready for runDoctor. */
export interface BundleInput {
  readonly members: DeployedMember[];
  readonly clients: DeployedClient[];
  /** Problems with the bundle itself (a member directory without etcd.conf ...). */
  readonly notes: string[];
}

/**
 * Reads a cluster-bundle output (`OUT/<member>/etcd.conf` and the files beside it,
 * `OUT/<client>/<client>.env`) from its files, by path relative to OUT. A path the configuration
 * names (`/etc/etcd/pki/etcd1.pem`) is looked up by its base name in the same directory, which is
 * what install.sh puts there. etcd.yaml, when present, must say what etcd.conf says.
 * @param label prefix for file names in messages (the directory as the user named it).
 * @param owner what install.sh makes the owner on the nodes (manifest.json's cluster.owner).
 */
export function bundleInput(files: ReadonlyMap<string, BundleFile>, label = '', owner = 'etcd:etcd'): BundleInput {
  const prefix = label === '' ? '' : `${label.replace(/\/+$/, '')}/`;
  const dirs = [...new Set([...files.keys()].filter((p) => p.split('/').length === 2).map((p) => p.split('/')[0]!))].sort(naturalOrder);
  const members: MemberWithFiles[] = [];
  const clients: ClientWithFiles[] = [];
  const notes: string[] = [];
  for (const dir of dirs) {
    const conf = files.get(`${dir}/etcd.conf`);
    const envName = [...files.keys()].find((p) => p.startsWith(`${dir}/`) && p.endsWith('.env'));
    const lookup = (paths: readonly string[]) => {
      const found = new Map<string, DeployedFile>();
      for (const path of paths) {
        const rel = `${dir}/${path.replace(/^.*\//, '')}`;
        const file = files.get(rel);
        found.set(path, {
          path,
          location: `${prefix}${rel}`,
          ...(file ? { bytes: file.bytes, stat: file.stat } : { error: 'missing' }),
        });
      }
      return found;
    };
    if (conf) {
      const parsed = parseConfigFile(Buffer.from(conf.bytes).toString('utf8'), `${prefix}${dir}/etcd.conf`);
      if (parsed.kind !== 'member') {
        notes.push(`${prefix}${dir}/etcd.conf holds ETCDCTL_* settings, not a member's`);
        continue;
      }
      const yaml = files.get(`${dir}/etcd.yaml`);
      const config = yaml
        ? withYamlAgreement(parsed.config, Buffer.from(yaml.bytes).toString('utf8'), `${prefix}${dir}/etcd.yaml`)
        : parsed.config;
      members.push({ config, files: lookup(memberFilePaths(config)) });
    } else if (envName) {
      const parsed = parseConfigFile(Buffer.from(files.get(envName)!.bytes).toString('utf8'), `${prefix}${envName}`, { clientName: dir });
      if (parsed.kind === 'client') clients.push({ config: parsed.config, files: lookup(clientFilePaths(parsed.config)) });
    }
  }
  const accessNote = `bundle files get their owner from install.sh (${owner}, keys 0600)`;
  return { members: deployMembers(members).map((m) => ({ ...m, accessNote })), clients: deployClients(clients), notes };
}

/** The member from etcd.conf, with a FAIL setting problem for each value etcd.yaml gives differently. */
function withYamlAgreement(config: MemberConfig, yamlText: string, yamlFile: string): MemberConfig {
  const yaml = parseConfigFile(yamlText, yamlFile);
  if (yaml.kind !== 'member') return config;
  const problems = [...config.settings.problems];
  const flags = new Set([...config.settings.values.keys(), ...yaml.config.settings.values.keys()]);
  flags.add('enable-grpc-gateway');
  for (const flag of flags) {
    // etcd.yaml cannot set them (etcd 3.4 reads no CRL from a config file); it names them in a comment.
    if (flag === 'client-crl-file' || flag === 'peer-crl-file') continue;
    const a = config.settings.values.get(flag);
    const b = yaml.config.settings.values.get(flag);
    const norm = (v: string | undefined) => (v === undefined ? undefined : /^(true|false)$/i.test(v) ? v.toLowerCase() : v);
    const [left, right] = [norm(a?.value), norm(b?.value)];
    // etcd 3.4 defaults enable-grpc-gateway to true from flags and ETCD_* variables, to false
    // from --config-file (measured: /v3/... answers 404 then).
    if (flag === 'enable-grpc-gateway' ? (left ?? 'true') === (right ?? 'false') : left === right) continue;
    problems.push({
      source: b?.source ?? { file: yamlFile, key: flag },
      severity: 'FAIL',
      message: `${yamlFile} gives ${flag} ${b ? JSON.stringify(b.value) : flag === 'enable-grpc-gateway' ? '(not set: false with --config-file, so /v3/... answers 404)' : '(not set)'} but ${config.source} gives ${a ? JSON.stringify(a.value) : flag === 'enable-grpc-gateway' ? '(not set: true)' : '(not set)'}: the member behaves differently depending on which file starts it`,
      fix: 'make them agree (run cluster-bundle again to render both from one description)',
    });
  }
  problems.push(...yaml.config.settings.problems);
  return { ...config, settings: { ...config.settings, problems } };
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
