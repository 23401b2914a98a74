import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** renew's flags, as commander hands them to the action. */
export interface RenewFlags {
  out: string;
  member: string[];
  client: string[];
  all?: boolean;
  rotateKey?: boolean;
  expiry?: string;
  hosts?: string;
  ca?: string;
  caKey?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `renew`: member and client certificates issued again from the bundle's CA, written atomically. */
export function renewCommand(context: CliContext): Command {
  const command = new Command('renew')
    .description("issue members' and clients' certificates again from the bundle's CA: same subject, SANs and usages, new validity")
    .option('--out <dir>', 'the bundle directory cluster-bundle wrote', 'etcd-pki-out')
    .option('--member <name>', 'a member whose server and peer certificates are renewed (repeatable)', collect, [])
    .option('--client <name>', 'a client whose certificate is renewed (repeatable)', collect, [])
    .option('--all', 'every member and client')
    .option('--rotate-key', 'make new keys (same algorithm and size) instead of keeping the existing ones')
    .option('--expiry <duration>', "validity of the new certificates, e.g. 8760h (default: the bundle's for each role)")
    .option(
      '--hosts <list>',
      "the one member's new hosts, comma-separated, as -member NAME=HOSTS takes them: its advertised address stays, localhost, 127.0.0.1 and ::1 are added as cluster-bundle adds them; kept in manifest.json (default: the old certificates' SANs)",
    )
    .option('--ca <file>', 'the CA certificate, when the bundle was made with an existing CA (-ca)')
    .option('--ca-key <file>', "that CA's private key")
    .option('--json', 'print what was renewed as JSON');
  command.addHelpText(
    'after',
    `
etcd (3.2 and later, measured on 3.4) reads its certificate and key at every new TLS handshake:
copy the renewed files into place and new connections use them, with no restart.

Examples:
  etcd-pki renew -out etcd-pki-out -all
  etcd-pki renew -out etcd-pki-out -member etcd2 -rotate-key
  etcd-pki renew -out etcd-pki-out -member etcd1 -hosts 192.168.0.91,etcd1.example.com`,
  );
  return command.action(async (flags: RenewFlags) => (await import('../actions/renew.js')).run(context, flags));
}
