import { Command } from 'commander';
import { join } from 'node:path';
import { PkiError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../shared.js';

interface RenewFlags {
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
  return command.action(async (flags: RenewFlags) => {
    if (flags.all && (flags.member.length > 0 || flags.client.length > 0)) {
      throw new PkiError('USAGE', '-all renews everything; it cannot be combined with -member or -client', {
        hint: 'give -all, or name what to renew',
      });
    }
    const [{ parseGoDuration }, { splitHosts }] = await Promise.all([import('../../duration.js'), import('../shared.js')]);
    const expiry = flags.expiry !== undefined ? parseGoDuration(flags.expiry, { file: '-expiry' }) : undefined;
    const hosts = await splitHosts(context, flags.hosts);
    const ca = flags.ca !== undefined || flags.caKey !== undefined ? await readAuthority(context, flags) : undefined;
    const out = flags.out;
    const [{ applyToBundle }, { planRenewal }, { renderSteps }, { inBundle }, { rfc3339 }] = await Promise.all([
      import('../../io/apply.js'),
      import('../../lifecycle/renew.js'),
      import('../../lifecycle/steps.js'),
      import('./cluster-bundle.js'),
      import('../../x509/time.js'),
    ]);
    let issuing: Progress | undefined;
    const { plan, report } = await applyToBundle({
      run: context,
      out,
      mode: 'update',
      read: (path) => path.endsWith('.pem') || path === 'manifest.json' || path === 'rotation.json',
      removeStaleTemps: true,
      plan: (bundle) =>
        planRenewal({
          bundle,
          select: flags.all ? { all: true } : { members: flags.member, clients: flags.client },
          rotateKey: flags.rotateKey ?? false,
          expiry,
          hosts,
          ca,
          onProgress: (_done, total) => (issuing ??= progress(context.output, total, 'certificates', context.quiet)).tick(),
        }).catch((error: unknown) => {
          throw inBundle(error, out, bundle);
        }),
      // Replacing keys is what -rotate-key asks for; without it no key is in the plan.
      force: flags.rotateKey ?? false,
      onWriteStart: () => issuing?.done(),
    });
    for (const warning of plan.warnings) context.output.stderr(`etcd-pki: warning: ${warning}\n`);
    if (flags.json) {
      context.output.stdout(
        goJson(
          {
            out,
            renewed: plan.renewed.map((r) => ({
              ...r,
              previousNotAfter: r.previousNotAfter.toISOString(),
              notAfter: r.notAfter.toISOString(),
            })),
            written: report.written,
            steps: plan.steps,
            warnings: plan.warnings,
          },
          '  ',
        ) + '\n',
      );
      return;
    }
    const lines = plan.renewed.map(
      (r) =>
        `renewed ${r.role} ${r.owners.join(',')}: serial ${r.previousSerial} -> ${r.serial}, valid until ${rfc3339(r.notAfter)}${r.keyRotated ? ', new key' : ''} (${r.paths.map((p) => join(out, p)).join(', ')})`,
    );
    context.output.stdout(`${lines.join('\n')}\nnext:\n${renderSteps(plan.steps, out)}`);
  });
}
