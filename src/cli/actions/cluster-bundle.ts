import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normaliseClusterDescription } from '../../bundle/load.js';
import { readManifest } from '../../bundle/manifest.js';
import { planClusterBundle } from '../../bundle/plan.js';
import type { ClusterDescription, ClusterJson } from '../../bundle/types.js';
import { PkiError } from '../../errors.js';
import { applyToBundle } from '../../io/apply.js';
import { inputName, readInput, readTextInput } from '../../io/input.js';
import { parseAndValidate } from '../../validate.js';
import { applyClusterFlags, parseMemberFlag, type ClusterFlags } from '../cluster-flags.js';
import type { ClusterBundleOptions } from '../commands/cluster-bundle.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../read-authority.js';

/**
 * `cluster-bundle`: see commands/cluster-bundle.ts for its flags; `noLocalhost` is --no-localhost
 * given on the line.
 */
export async function run(context: CliContext, options: ClusterBundleOptions, noLocalhost: boolean): Promise<void> {
  const out = options.out;
  // commander defaults --no-localhost's value to true; only a flag on the line overrides -config.
  const { localhost: _default, ...given } = options;
  const flags: ClusterFlags = { ...given, ...(noLocalhost ? { localhost: false } : {}) };
  const cluster = await describeCluster(context, options, flags);
  const ca = options.ca !== undefined || options.caKey !== undefined ? await readAuthority(context, options) : undefined;

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
}

/** The description from -config, or from -member/-client, or from the bundle's own manifest.json. */
async function describeCluster(context: CliContext, options: ClusterBundleOptions, flags: ClusterFlags): Promise<ClusterDescription> {
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
