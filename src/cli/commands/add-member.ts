import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** add-member's flags, as commander hands them to the action. */
export interface AddMemberOptions {
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
  return command.action(async (options: AddMemberOptions) => (await import('../actions/add-member.js')).run(context, options));
}
