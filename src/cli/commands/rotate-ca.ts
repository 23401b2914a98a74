import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** rotate-ca's flags, as commander hands them to the action. */
export interface RotateCaFlags {
  phase?: string;
  out: string;
  endpoint: string[];
  verify?: boolean;
  assumeDeployed?: boolean;
  caCn?: string;
  newCa?: string;
  newCaKey?: string;
  rotateKey?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `rotate-ca`: replace the bundle's CA in three phases, each deployed before the next starts. */
export function rotateCaCommand(context: CliContext): Command {
  const command = new Command('rotate-ca')
    .description("replace the bundle's CA without downtime, in three phases (or show where a rotation stands)")
    .argument(
      '[status]',
      '`status`: where the rotation stands (with -verify or -endpoint: on the live cluster too); `abort`: before phase 3, return every member and client to the old CA',
    )
    .option(
      '--phase <n>',
      '1: new CA, trusted beside the old; 2: every certificate from the new CA; 3: old CA no longer trusted; or status',
    )
    .option('--out <dir>', 'the bundle directory cluster-bundle wrote', 'etcd-pki-out')
    .option(
      '--endpoint <url>',
      "a member's client or peer URL to check the previous phase on (repeatable; every member's two are needed)",
      collect,
      [],
    )
    .option('--verify', "check every member's advertised client and peer URL from the manifest")
    .option('--assume-deployed', 'start the phase without checking the previous one on the cluster (you checked yourself)')
    .option('--ca-cn <name>', "phase 1: the new CA's common name (default: the old one with today's date)")
    .option('--new-ca <file>', 'phase 1: use this CA (made elsewhere) as the new CA')
    .option('--new-ca-key <file>', "phase 1: that CA's private key")
    .option('--rotate-key', 'phase 2: new keys for every certificate instead of keeping them')
    .option('--json', 'print the result as JSON');
  command.addHelpText(
    'after',
    `
Each phase writes its files and says what to copy where and which members to restart, in order;
the next phase refuses to start until the previous one is deployed: pass -verify (or each
member's client and peer URL with -endpoint) and etcd-pki checks it with short-lived client
certificates from each CA. etcd 3.4 reads its trusted CA file only at start (phases 1 and 3 need
a rolling restart) and its certificates at every handshake (phase 2 needs none).

Examples:
  etcd-pki rotate-ca -phase 1 -out etcd-pki-out
  etcd-pki rotate-ca -phase 2 -out etcd-pki-out -verify
  etcd-pki rotate-ca -phase 3 -out etcd-pki-out -verify
  etcd-pki rotate-ca status -out etcd-pki-out -verify
  etcd-pki rotate-ca abort -out etcd-pki-out -verify     (before phase 3: back to the old CA)`,
  );
  return command.action(async (status: string | undefined, flags: RotateCaFlags) =>
    (await import('../actions/rotate-ca.js')).run(context, status, flags),
  );
}
