import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';

/** revoke's flags, as commander hands them to the action. */
export interface RevokeFlags {
  out: string;
  client: string[];
  member: string[];
  reason?: string;
  refresh?: boolean;
  ca?: string;
  caKey?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `revoke`: certificates of a bundle onto its CRLs, with new credentials for what was revoked. */
export function revokeCommand(context: CliContext): Command {
  const command = new Command('revoke')
    .description(
      "revoke clients' or members' certificates: onto the bundle's CRLs, which every member checks, with new keys and certificates for them",
    )
    .option('--out <dir>', 'the bundle directory cluster-bundle wrote', 'etcd-pki-out')
    .option('--client <name>', 'a client whose certificate is revoked (repeatable)', collect, [])
    .option('--member <name>', 'a member whose server and peer certificates are revoked (repeatable)', collect, [])
    .addOption(
      new Option('--reason <reason>', 'the reason written in the CRL (RFC 5280)').choices([
        'unspecified',
        'keyCompromise',
        'caCompromise',
        'affiliationChanged',
        'superseded',
        'cessationOfOperation',
        'privilegeWithdrawn',
      ]),
    )
    .option('--refresh', 'sign the CRLs again (new thisUpdate and nextUpdate), revoking nothing new')
    .option('--ca <file>', 'the CA certificate, when the bundle was made with an existing CA (-ca)')
    .option('--ca-key <file>', "that CA's private key")
    .option('--json', 'print what was revoked as JSON');
  command.addHelpText(
    'after',
    `
etcd reads the files named by ETCD_CLIENT_CRL_FILE and ETCD_PEER_CRL_FILE at every new connection
(3.4, measured): once the new CRLs are on the members, a revoked certificate is refused, with no
restart. The revoked client or member gets a new key and certificate: install those first.

Examples:
  etcd-pki revoke -out etcd-pki-out -client etcdctl -reason keyCompromise
  etcd-pki revoke -out etcd-pki-out -refresh`,
  );
  return command.action(async (flags: RevokeFlags) => (await import('../actions/revoke.js')).run(context, flags));
}
