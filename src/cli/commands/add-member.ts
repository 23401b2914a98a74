import { Command } from 'commander';
import { join } from 'node:path';
import { PkiError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../shared.js';
import { inBundle } from './cluster-bundle.js';

interface AddMemberOptions {
  member?: string;
  out: string;
  clientPort?: string;
  peerPort?: string;
  ca?: string;
  caKey?: string;
  json?: boolean;
}

/** `add-member`: a new member for an existing bundle, and the `etcdctl member add` to run first. */
export function addMemberCommand(context: CliContext): Command {
  const command = new Command('add-member')
    .description('add a member to a bundle made by cluster-bundle: its certificates and etcd.conf, and the etcdctl member add command')
    .option('--member <name=ip[,ip|dns...]>', 'the new member: its name and hosts, the first advertised')
    .option('--out <dir>', 'the bundle directory cluster-bundle wrote', 'etcd-pki-out')
    .option('--client-port <port>', "the new member's client port (default 2379)")
    .option('--peer-port <port>', "the new member's peer port (default 2380)")
    .option('--ca <file>', 'the CA certificate, when the bundle was made with an existing CA (-ca)')
    .option('--ca-key <file>', "that CA's private key")
    .option('--json', 'print the command and the files written as JSON')
    .addHelpText(
      'after',
      `
Writes OUT/<name>/ with ETCD_INITIAL_CLUSTER_STATE="existing" and the full ETCD_INITIAL_CLUSTER,
updates every client's endpoints and OUT/manifest.json, and prints the command to run first.

Example (the walkthrough's fourth member):
  etcd-pki add-member -out etcd-pki-out -member etcd4=192.168.0.94
  set -a; . /etc/etcd/pki/etcdctl.env; set +a
  etcdctl member add etcd4 --peer-urls=https://192.168.0.94:2380
  scp -r etcd-pki-out/etcd4 root@192.168.0.94:/root/ && ssh root@192.168.0.94 sh /root/etcd4/install.sh`,
    );
  return command.action(async (options: AddMemberOptions) => {
    if (options.member === undefined) {
      throw new PkiError('USAGE', 'add-member needs the new member', { hint: 'e.g. -member etcd4=192.168.0.94' });
    }
    const { parseMemberFlag } = await import('../cluster-flags.js');
    const member = {
      ...parseMemberFlag(options.member),
      ...(options.clientPort !== undefined ? { clientPort: port(options.clientPort, '-client-port') } : {}),
      ...(options.peerPort !== undefined ? { peerPort: port(options.peerPort, '-peer-port') } : {}),
    };
    const ca = options.ca !== undefined || options.caKey !== undefined ? await readAuthority(context, options) : undefined;
    const [{ applyToBundle }, { planAddMember }] = await Promise.all([import('../../io/apply.js'), import('../../bundle/add-member.js')]);
    const out = options.out;
    let issuing: Progress | undefined;
    const onProgress = (_done: number, total: number) => {
      issuing ??= progress(context.output, total, 'certificates', context.quiet);
      issuing.tick();
    };
    const { plan: result, report } = await applyToBundle({
      run: context,
      out,
      mode: 'update',
      missingHint: 'point -out at the directory cluster-bundle wrote, or make one with cluster-bundle first',
      read: () => true,
      plan: (bundle) =>
        planAddMember({ bundle, member, ca, onProgress }).catch((error: unknown) => {
          throw inBundle(error, out, bundle);
        }),
      removeStaleTemps: true,
      onWriteStart: () => issuing?.done(),
    });
    for (const warning of result.warnings) context.output.stderr(`etcd-pki: warning: ${warning}\n`);
    const commandLine = result.memberAddCommand.join(' ');
    if (options.json) {
      context.output.stdout(
        goJson(
          { member: result.member.name, command: result.memberAddCommand, commandLine, written: report.written, warnings: result.warnings },
          '  ',
        ) + '\n',
      );
      return;
    }
    const clients = result.cluster.clients.map((c) => join(out, c.name) + '/');
    context.output.stdout(
      [
        `Added member ${result.member.name} to ${out} (${report.written.length} files written). Then:`,
        `1. where etcdctl is set up for this cluster, add the member first:`,
        `   ${commandLine}`,
        `2. copy ${join(out, result.member.name)}/ to ${result.member.advertiseHost}, run its install.sh there as root, and start etcd`,
        ...(clients.length ? [`3. re-install ${clients.join(', ')} where used: the endpoints now include ${result.member.name}`] : []),
      ].join('\n') + '\n',
    );
  });
}

function port(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new PkiError('USAGE', `${flag} ${JSON.stringify(text)} is not a port number`, { hint: 'give a number from 1 to 65535' });
  }
  return value;
}
