import { Command, Option } from 'commander';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PkiError } from '../../errors.js';
import type { ClusterDescription, ClusterJson } from '../../bundle/types.js';
import type { CliContext } from '../context.js';
import type { ClusterFlags } from '../cluster-flags.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../shared.js';

interface ClusterBundleOptions extends ClusterFlags {
  member?: string[];
  client?: string[];
  config?: string;
  out: string;
  ca?: string;
  caKey?: string;
  force?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `cluster-bundle`: a whole cluster's certificates and configuration from one description. */
export function clusterBundleCommand(context: CliContext): Command {
  const command = new Command('cluster-bundle')
    .description("make a cluster's CA, certificates, keys, etcd.conf/etcd.yaml per member and etcdctl env per client")
    .option('--member <name=ip[,ip|dns...]>', 'a member: its name and hosts, the first advertised (repeat for each member)', collect)
    .option('--client <name>', 'a client identity with its own certificate and env file (repeatable; default etcdctl)', collect)
    .option('--config <file>', 'cluster description (cluster.json, see schemas/cluster.schema.json) instead of -member/-client')
    .option('--out <dir>', 'output directory; re-running over it keeps the CA and keys and issues only what is missing', 'etcd-pki-out')
    .option('--ca <file>', "issue from this existing CA certificate (cfssl's or etcd-pki's) instead of a new one")
    .option('--ca-key <file>', "the existing CA's private key (not copied into the bundle)")
    .option('--pki-dir <dir>', 'where the files live on each node; {name} is the member or client name (default /etc/etcd/pki)')
    .option('--data-dir <dir>', 'ETCD_DATA_DIR; {name} is the member name (default /var/lib/etcd/{name}.etcd)')
    .option('--token <token>', 'ETCD_INITIAL_CLUSTER_TOKEN (default etcd-cluster)')
    .addOption(new Option('--key-algo <algo>', 'algorithm of every key generated (default ecdsa)').choices(['ecdsa', 'rsa', 'ed25519']))
    .option('--key-size <bits>', 'key size: ecdsa 256 (default), 384, 521; rsa 2048 to 8192')
    .option('--ca-expiry <duration>', 'validity of a new CA (default 43800h)')
    .option('--server-expiry <duration>', 'validity of member server certificates (default 8760h)')
    .option('--peer-expiry <duration>', 'validity of member peer certificates (default 8760h)')
    .option('--client-expiry <duration>', 'validity of client certificates (default 8760h)')
    .option('--subject <names>', 'subject names of every certificate, e.g. "C=US,ST=San Francisco,L=CA,O=Example"')
    .option('--ca-cn <name>', 'common name of a new CA (default "ETCD Root CA")')
    .option('--crl-expiry <duration>', 'validity of the CRLs from each signing (default 8760h)')
    .addOption(
      new Option(
        '--trust <layout>',
        'which CA each port trusts: separate (a peer CA for the peer ports; default for a new bundle), single (one CA for both, as kubeadm), migrating (the step from single to separate)',
      ).choices(['separate', 'single', 'migrating']),
    )
    .option('--single-ca', "one CA for the client and the peer ports (kubeadm's layout): the same as -trust single")
    .option('--shared-server-cert', 'one server certificate naming every member, instead of one per member')
    .option('--no-localhost', 'do not add localhost, 127.0.0.1 and ::1 to member certificates, nor listen on 127.0.0.1')
    .option('--owner <user:group>', 'owner install.sh gives the certificates and keys on the nodes (default etcd:etcd)')
    .option('--force', 'replace existing private keys that are unreadable or of another algorithm (they are lost)')
    .option('--json', 'print what was done as JSON');
  command.addHelpText(
    'after',
    `
Writes OUT/ca/ (CA certificate and key; the peer CA, peer-ca.pem and its key; the CRLs,
client-crl.pem and peer-crl.pem), OUT/<member>/ (ca.pem, peer-ca.pem, client-crl.pem, peer-crl.pem,
<member>.pem, <member>-key.pem, <member>-peer.pem, <member>-peer-key.pem, etcd.conf, etcd.yaml,
install.sh), OUT/<client>/
(ca.pem, <client>.pem, <client>-key.pem, <client>.env, install.sh), OUT/manifest.json and
OUT/README.txt, which says what to copy where.

Example (the walkthrough's cluster):
  etcd-pki cluster-bundle -member etcd1=192.168.0.91 -member etcd2=192.168.0.92 \\
      -member etcd3=192.168.0.93 -out etcd-pki-out
  scp -r etcd-pki-out/etcd1 root@192.168.0.91:/root/ && ssh root@192.168.0.91 sh /root/etcd1/install.sh

From a description, with a Kubernetes client and an existing cfssl CA:
  etcd-pki cluster-bundle -config cluster.json -ca rootca.pem -ca-key rootca-key.pem -out etcd-pki-out`,
  );
  return command.action(async (options: ClusterBundleOptions) => {
    const out = options.out;
    // commander defaults --no-localhost's value to true; only a flag on the line overrides -config.
    const { localhost: _default, ...given } = options;
    const flags: ClusterFlags = { ...given, ...(command.getOptionValueSource('localhost') === 'cli' ? { localhost: false } : {}) };
    const cluster = await describeCluster(context, options, flags);
    const ca = options.ca !== undefined || options.caKey !== undefined ? await readAuthority(context, options) : undefined;

    const [{ applyToBundle }, { planClusterBundle }] = await Promise.all([import('../../io/apply.js'), import('../../bundle/plan.js')]);
    let issuing: Progress | undefined;
    let writing: Progress | undefined;
    // Keys, certificates and the manifest are what a re-run keeps; the rest is rendered afresh.
    assertBundleOrNew(out, options.force ?? false);
    const { plan: bundle, report } = await applyToBundle({
      run: context,
      out,
      mode: 'create',
      read: (path) => path.endsWith('.pem') || path === 'manifest.json' || path === 'rotation.json',
      plan: (existing) =>
        planClusterBundle({
          cluster,
          existing,
          ca,
          force: options.force ?? false,
          onProgress: (_done, total) => {
            issuing ??= progress(context.output, total, 'certificates', context.quiet);
            issuing.tick();
          },
        }).catch((error: unknown) => {
          throw inBundle(error, out, existing);
        }),
      force: options.force ?? false,
      removeStaleTemps: true,
      onWriteStart: (count) => {
        issuing?.done();
        writing = progress(context.output, count, 'files', context.quiet);
      },
      onFile: () => writing?.tick(),
    });
    writing?.done();
    for (const warning of bundle.warnings) context.output.stderr(`etcd-pki: warning: ${warning}\n`);
    const count = (status: string) => bundle.certificates.filter((c) => c.status === status).length;
    if (options.json) {
      context.output.stdout(
        goJson(
          {
            out,
            token: cluster.token,
            members: cluster.members.map((m) => m.name),
            clients: cluster.clients.map((c) => c.name),
            ca: bundle.authority,
            trust: bundle.trust,
            peerCa: bundle.peerAuthority ?? null,
            crls: bundle.crls,
            certificates: bundle.certificates,
            written: report.written,
            unchanged: report.unchanged,
            warnings: bundle.warnings,
          },
          '  ',
        ) + '\n',
      );
      return;
    }
    if (!context.quiet) {
      for (const c of bundle.certificates) {
        if (c.status === 'reissued') context.output.stderr(`re-issued ${join(out, c.path)}: ${c.reason ?? ''}\n`);
      }
    }
    const first = cluster.members[0]!;
    context.output.stdout(
      [
        `${out}: cluster "${cluster.token}", ${cluster.members.length} member(s), ${cluster.clients.length} client(s); CA ${bundle.authority}; trust ${bundle.trust}${bundle.peerAuthority ? ` (peer CA ${bundle.peerAuthority})` : ''}; CRLs: client ${bundle.crls.client}, peer ${bundle.crls.peer}`,
        `certificates: ${count('issued')} issued, ${count('reissued')} re-issued, ${count('kept')} kept; files: ${report.written.length} written, ${report.unchanged.length} unchanged`,
        `next: read ${join(out, 'README.txt')}; copy ${join(out, first.name)}/ to ${first.advertiseHost} and run its install.sh there as root${cluster.members.length > 1 ? ' (likewise for each member)' : ''}`,
      ].join('\n') + '\n',
    );
  });
}

/** The description from -config, or from -member/-client, or from the bundle's own manifest.json. */
async function describeCluster(context: CliContext, options: ClusterBundleOptions, flags: ClusterFlags): Promise<ClusterDescription> {
  const [{ applyClusterFlags, parseMemberFlag }, { normaliseClusterDescription }] = await Promise.all([
    import('../cluster-flags.js'),
    import('../../bundle/load.js'),
  ]);
  const memberFlags = options.member ?? [];
  const clientFlags = options.client ?? [];
  let base: ClusterJson;
  let file: string | undefined;
  if (options.config !== undefined) {
    if (memberFlags.length > 0 || clientFlags.length > 0) {
      throw new PkiError('USAGE', '-member and -client cannot be combined with -config', {
        hint: `list the members and clients in ${options.config}, or leave out -config`,
      });
    }
    const [{ readTextInput, inputName }, { parseAndValidate }] = await Promise.all([
      import('../../io/input.js'),
      import('../../validate.js'),
    ]);
    file = inputName(options.config);
    base = parseAndValidate('cluster', await readTextInput(options.config, context.stdin, 'cluster'), file) as ClusterJson;
  } else if (memberFlags.length > 0) {
    base = {
      members: memberFlags.map(parseMemberFlag),
      ...(clientFlags.length > 0 ? { clients: clientFlags.map((name) => ({ name })) } : {}),
    };
  } else {
    base = await previousDescription(context, options.out);
    if (clientFlags.length > 0) base = { ...base, clients: clientFlags.map((name) => ({ name })) };
  }
  if (options.config !== undefined || memberFlags.length > 0) base = await withPreviousMembers(context, options.out, base);
  return normaliseClusterDescription(applyClusterFlags(base, flags), file);
}

/**
 * The description given, plus every member the bundle already has and it does not name (one
 * add-member added): a re-run never removes a member, whose directory, endpoints and manifest
 * entries would silently go while the member still runs; remove-member is the command for that.
 */
async function withPreviousMembers(context: CliContext, out: string, base: ClusterJson): Promise<ClusterJson> {
  const manifestPath = join(out, 'manifest.json');
  const [{ readInput }, { readManifest }] = await Promise.all([import('../../io/input.js'), import('../../bundle/manifest.js')]);
  const bytes = await readInput(manifestPath, context.stdin, 'manifest').catch(() => undefined);
  if (bytes === undefined) return base;
  let previous: ClusterJson;
  try {
    previous = readManifest(bytes, manifestPath).cluster.json;
  } catch {
    return base;
  }
  const named = new Set(base.members.map((m) => m.name));
  const kept = previous.members.filter((m) => !named.has(m.name));
  if (kept.length === 0) return base;
  const names = kept.map((m) => m.name).join(', ');
  context.output.stderr(
    `etcd-pki: note: kept member${kept.length === 1 ? '' : 's'} ${names}, which the bundle has and this run does not name: a re-run never removes a member; to remove one from the cluster and the bundle, run etcd-pki remove-member -out ${out} -member NAME\n`,
  );
  return { ...base, members: [...base.members, ...kept] };
}

/**
 * `out` is a bundle (it has the manifest.json every bundle is written with), a directory with
 * nothing in it yet, or absent: a bundle's files (ca/, etcd1/, install.sh) are never written over
 * an unrelated directory's files of the same names without --force, and never into `/`.
 * @throws PkiError UNSAFE_PATH for the root directory, FILE_EXISTS for a directory that is not a bundle.
 */
function assertBundleOrNew(out: string, force: boolean): void {
  if (resolve(out) === '/') {
    throw new PkiError('UNSAFE_PATH', 'refusing to write a bundle into the root directory', {
      file: out,
      hint: 'give -out a directory of its own, e.g. -out etcd-pki-out',
    });
  }
  if (force || !statSync(out, { throwIfNoEntry: false })?.isDirectory() || existsSync(join(out, 'manifest.json'))) return;
  const entries = readdirSync(out).filter((name) => !name.startsWith('.'));
  if (entries.length === 0) return;
  throw new PkiError(
    'FILE_EXISTS',
    `is not a bundle (it has no manifest.json) and holds ${entries.length} file${entries.length === 1 ? '' : 's'}`,
    {
      file: out,
      hint: 'give -out a new or empty directory, or pass --force to write the bundle among its files',
    },
  );
}

// Re-running with no members given repairs or completes the bundle from its own description.
async function previousDescription(context: CliContext, out: string): Promise<ClusterJson> {
  const manifestPath = join(out, 'manifest.json');
  const [{ readInput }, { readManifest }] = await Promise.all([import('../../io/input.js'), import('../../bundle/manifest.js')]);
  // No manifest is no bundle yet; one that cannot be read (or too big to be one) is an error.
  const bytes = await readInput(manifestPath, context.stdin, 'manifest').catch((error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code === 'ENOENT') return undefined;
    throw error;
  });
  if (bytes === undefined) {
    throw new PkiError('USAGE', 'no members given', {
      hint: 'name them with -member, e.g. -member etcd1=192.168.0.91 -member etcd2=192.168.0.92 -member etcd3=192.168.0.93, or give -config cluster.json',
    });
  }
  return readManifest(bytes, manifestPath).cluster.json;
}

/** An error naming a file of the bundle (`etcd1/etcd1-key.pem`) names it as the user sees it: under -out. */
export function inBundle(error: unknown, out: string, existing: ReadonlyMap<string, Uint8Array>): unknown {
  if (!(error instanceof PkiError) || error.file === undefined || !existing.has(error.file)) return error;
  return new PkiError(error.code, error.message, { file: join(out, error.file), path: error.path, hint: error.hint, cause: error.cause });
}
