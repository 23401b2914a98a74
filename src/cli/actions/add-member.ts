import { join } from 'node:path';
import { planAddMember } from '../../bundle/add-member.js';
import { PkiError } from '../../errors.js';
import { applyToBundle } from '../../io/apply.js';
import { parseMemberFlag } from '../cluster-flags.js';
import type { AddMemberOptions } from '../commands/add-member.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../read-authority.js';

/** `add-member`: see commands/add-member.ts for its flags. */
export async function run(context: CliContext, options: AddMemberOptions): Promise<void> {
  if (options.member === undefined) {
    throw new PkiError('USAGE', 'add-member needs the new member', { hint: 'e.g. -member etcd4=192.168.0.94' });
  }
  const member = {
    ...parseMemberFlag(options.member),
    ...(options.clientPort !== undefined ? { clientPort: port(options.clientPort, '-client-port') } : {}),
    ...(options.peerPort !== undefined ? { peerPort: port(options.peerPort, '-peer-port') } : {}),
  };
  const ca = options.ca !== undefined || options.caKey !== undefined ? await readAuthority(context, options) : undefined;
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
}

function port(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new PkiError('USAGE', `${flag} ${JSON.stringify(text)} is not a port number`, { hint: 'give a number from 1 to 65535' });
  }
  return value;
}
