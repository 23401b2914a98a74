import { Command, Option } from 'commander';
import { join } from 'node:path';
import type { CliContext } from '../context.js';
import { goJson } from '../output.js';
import { readAuthority } from '../shared.js';

interface RevokeFlags {
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
  return command.action(async (flags: RevokeFlags) => {
    const ca = flags.ca !== undefined || flags.caKey !== undefined ? await readAuthority(context, flags) : undefined;
    const out = flags.out;
    const [{ applyToBundle }, { planRevocation }, { renderSteps }, { inBundle }] = await Promise.all([
      import('../../io/apply.js'),
      import('../../lifecycle/revocation.js'),
      import('../../lifecycle/steps.js'),
      import('./cluster-bundle.js'),
    ]);
    const { plan: revocation, report } = await applyToBundle({
      run: context,
      out,
      mode: 'update',
      read: (path) => path.endsWith('.pem') || path === 'manifest.json' || path === 'rotation.json',
      plan: async (bundle) => {
        const planned = await planRevocation({
          bundle,
          clients: flags.client,
          members: flags.member,
          reason: flags.reason as Parameters<typeof planRevocation>[0]['reason'],
          refresh: flags.refresh ?? false,
          ca,
        }).catch((error: unknown) => {
          throw inBundle(error, out, bundle);
        });
        return { ...planned, files: planned.bundle.files };
      },
      // Revoking replaces the revoked credentials' keys: that is what it is for.
      force: true,
      removeStaleTemps: true,
    });
    const plan = revocation;
    for (const warning of plan.bundle.warnings) context.output.stderr(`etcd-pki: warning: ${warning}\n`);
    if (flags.json) {
      context.output.stdout(
        goJson({ out, revoked: plan.revoked, crls: plan.bundle.crls, written: report.written, steps: plan.steps }, '  ') + '\n',
      );
      return;
    }
    const lines = plan.revoked.map((r) => `revoked ${r.what}: serial ${r.serial} (hex ${r.serialHex}) in ${join(out, r.crl)}`);
    if (plan.revoked.length === 0) lines.push(`CRLs signed again: client ${plan.bundle.crls.client}, peer ${plan.bundle.crls.peer}`);
    context.output.stdout(`${lines.join('\n')}\nnext:\n${renderSteps(plan.steps, out)}`);
  });
}
