import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** remove-member's flags, as commander hands them to the action. */
export interface RemoveMemberFlags {
  out: string;
  member?: string;
  endpoint?: string;
  client?: string;
  ca?: string;
  caKey?: string;
  json?: boolean;
}

/** `remove-member`: a member out of a bundle, its certificates revoked, and the `etcdctl member remove` to run first. */
export function removeMemberCommand(context: CliContext): Command {
  const command = new Command('remove-member')
    .description(
      "take a member out of a bundle: revoke its certificates, drop it from the other members' configuration and the clients' endpoints, and print the etcdctl member remove to run",
    )
    .option('--out <dir>', 'the bundle directory cluster-bundle wrote', 'etcd-pki-out')
    .option('--member <name>', 'the member to remove')
    .option('--endpoint <url>', "a member's client URL (https://IP:2379), to look up the member's ID for etcdctl member remove")
    .option('--client <name>', "the client whose certificate looks the ID up (default the bundle's first)")
    .option('--ca <file>', 'the CA certificate, when the bundle was made with an existing CA (-ca)')
    .option('--ca-key <file>', "that CA's private key")
    .option('--json', 'print the command and the files written as JSON');
  command.addHelpText(
    'after',
    `
Replacing a failed member (same name, new address) is this, then add-member:
  etcd-pki remove-member -out etcd-pki-out -member etcd3 -endpoint https://192.168.0.91:2379
  (run the etcdctl member remove it prints, then install the files as it says)
  etcd-pki add-member -out etcd-pki-out -member etcd3=192.168.0.95
  (run the etcdctl member add it prints, then install etcd3/ on the new node)`,
  );
  return command.action(async (flags: RemoveMemberFlags) => (await import('../actions/remove-member.js')).run(context, flags));
}
