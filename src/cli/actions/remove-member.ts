import { join } from 'node:path';
import { readManifest } from '../../bundle/manifest.js';
import { bundlePath, clientFileNames } from '../../bundle/layout.js';
import { planRemoveMember } from '../../bundle/remove-member.js';
import { httpsUrl } from '../../bundle/urls.js';
import { PkiError } from '../../errors.js';
import { applyToBundle } from '../../io/apply.js';
import { exchangeTls, parseHttpResponse } from '../../net/tls-exchange.js';
import { parseHttpsUrl } from '../../net/tls-probe.js';
import type { RemoveMemberFlags } from '../commands/remove-member.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson } from '../output.js';
import { readAuthority } from '../read-authority.js';

/** `remove-member`: see commands/remove-member.ts for its flags. */
export async function run(context: CliContext, flags: RemoveMemberFlags): Promise<void> {
  if (flags.member === undefined) throw new PkiError('USAGE', 'remove-member needs the member to remove', { hint: 'e.g. -member etcd4' });
  const ca = flags.ca !== undefined || flags.caKey !== undefined ? await readAuthority(context, flags) : undefined;
  const out = flags.out;
  const member = flags.member;
  let id: string | undefined;
  const { plan: result, report } = await applyToBundle({
    run: context,
    out,
    mode: 'update',
    // Every file of the member's directory, to remove them; the .pem files and the manifest to plan.
    read: (path) => path.endsWith('.pem') || path === 'manifest.json' || path === 'rotation.json' || path.startsWith(`${member}/`),
    plan: async (bundle) => {
      const planned = await planRemoveMember({ bundle, member, ca }).catch((error: unknown) => {
        throw inBundle(error, out, bundle);
      });
      // Looked up before anything is written: an endpoint that does not answer leaves the bundle as it was.
      if (flags.endpoint !== undefined) id = await lookUpMemberId(out, bundle, flags, planned.member);
      const removals = [...bundle.keys()].filter((path) => path.startsWith(`${planned.removedDirectory}/`));
      return { ...planned, removals };
    },
    // The whole bundle is re-planned; keys of revoked credentials (a shared server certificate) are replaced.
    force: true,
    removeStaleTemps: true,
  });
  // The member's directory is emptied, not left: the plan's leftover warning about it does not apply.
  const leftover = `${result.removedDirectory}/ is from a member or client no longer in the description`;
  for (const warning of result.bundlePlan.warnings.filter((w) => !w.startsWith(leftover)))
    context.output.stderr(`etcd-pki: warning: ${warning}\n`);
  const removeCommand = `etcdctl member remove ${id ?? '<ID>'}`;
  if (flags.json) {
    context.output.stdout(
      goJson(
        {
          member: result.member.name,
          id: id ?? null,
          command: removeCommand,
          revoked: result.revoked,
          written: report.written,
          removed: result.removals,
        },
        '  ',
      ) + '\n',
    );
    return;
  }
  const name = result.member.name;
  const clients = result.cluster.clients.map((c) => c.name);
  const shared = result.cluster.sharedServerCert;
  context.output.stdout(
    [
      ...result.revoked.map((r) => `revoked ${r.what}: serial ${r.serial}`),
      `removed the files of ${join(out, name)}/; ${name} is no longer in any member's configuration nor in the clients' endpoints`,
      'next, in this order:',
      `1. with a client's environment (set -a; . ${join('/etc/etcd/pki', `${clients[0] ?? 'etcdctl'}.env`)}; set +a), take it out of the cluster first:`,
      `     ${removeCommand}${id === undefined ? `   (the ID of ${name} in: etcdctl member list; or give -endpoint to look it up)` : ''}`,
      `2. on ${name} (${result.member.advertiseHost}): stop etcd, then delete its data directory and its certificates and keys`,
      ...(shared ? ['3. copy the re-issued shared server certificate and key to every remaining member (keys first)'] : []),
      `${shared ? 4 : 3}. copy to every remaining member client-crl.pem, peer-crl.pem, etcd.conf and etcd.yaml (or run its install.sh): no restart, etcd reads the CRLs at every new connection and ETCD_INITIAL_CLUSTER only when it first starts`,
      `${shared ? 5 : 4}. re-install ${clients.join(', ')} where used: the endpoints no longer include ${name}`,
      `to replace it: etcd-pki add-member -out ${out} -member ${name}=NEW_ADDRESS`,
    ].join('\n') + '\n',
  );
}

/**
 * The member's ID as etcdctl member remove takes it (hex), from POST /v3/cluster/member/list on
 * `-endpoint` with a client's certificate: by name, or by peer URL for a member never started.
 * @throws PkiError IO when the endpoint does not answer or does not list the member.
 */
async function lookUpMemberId(
  out: string,
  bundle: ReadonlyMap<string, Uint8Array>,
  flags: RemoveMemberFlags,
  member: { readonly name: string; readonly advertiseHost: string; readonly peerPort: number },
): Promise<string> {
  const cluster = readManifest(bundle.get('manifest.json')!).cluster;
  const client = flags.client ?? cluster.clients[0]?.name;
  if (client === undefined || !cluster.clients.some((c) => c.name === client)) {
    throw new PkiError('USAGE', `the bundle has no client ${JSON.stringify(client ?? '')} to look the member up with`, {
      hint: 'name one with -client',
    });
  }
  const files = clientFileNames(client);
  const { host, port } = parseHttpsUrl(flags.endpoint!);
  const exchange = await exchangeTls({
    host,
    port,
    ca: bundle.get(bundlePath(client, files.ca)),
    cert: bundle.get(bundlePath(client, files.certificate)),
    key: bundle.get(bundlePath(client, files.key)),
    method: 'POST',
    path: '/v3/cluster/member/list',
    body: '{}',
    timeoutMs: 5000,
  });
  const response = exchange.stop === 'answered' ? parseHttpResponse(exchange.response) : { error: exchange.error ?? exchange.stop };
  if ('error' in response || response.status !== 200) {
    throw new PkiError(
      'IO',
      `${flags.endpoint} did not list the members: ${'error' in response ? response.error : `HTTP ${response.status}`}`,
      {
        file: join(out, bundlePath(client, files.certificate)),
        hint: "give a reachable member's client URL with -endpoint, or leave -endpoint out and find the ID with etcdctl member list",
      },
    );
  }
  const listed = (JSON.parse(response.body) as { members?: { ID?: string; name?: string; peerURLs?: string[] }[] }).members ?? [];
  const peerUrl = httpsUrl(member.advertiseHost, member.peerPort);
  const found = listed.find((m) => m.name === member.name) ?? listed.find((m) => (m.peerURLs ?? []).includes(peerUrl));
  if (found?.ID === undefined) {
    throw new PkiError('IO', `${flags.endpoint} does not list ${member.name} (${peerUrl}) among its ${listed.length} members`, {
      hint: 'it may be out of the cluster already: then skip etcdctl member remove',
    });
  }
  return BigInt(found.ID).toString(16);
}
