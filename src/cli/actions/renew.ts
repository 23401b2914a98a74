import { join } from 'node:path';
import { parseGoDuration } from '../../duration.js';
import { PkiError } from '../../errors.js';
import { applyToBundle } from '../../io/apply.js';
import { planRenewal } from '../../lifecycle/renew.js';
import { renderSteps } from '../../lifecycle/steps.js';
import { rfc3339 } from '../../x509/time.js';
import type { RenewFlags } from '../commands/renew.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../read-authority.js';
import { splitHosts } from '../read-request.js';

/** `renew`: see commands/renew.ts for its flags. */
export async function run(context: CliContext, flags: RenewFlags): Promise<void> {
  if (flags.all && (flags.member.length > 0 || flags.client.length > 0)) {
    throw new PkiError('USAGE', '-all renews everything; it cannot be combined with -member or -client', {
      hint: 'give -all, or name what to renew',
    });
  }
  const expiry = flags.expiry !== undefined ? parseGoDuration(flags.expiry, { file: '-expiry' }) : undefined;
  const hosts = await splitHosts(context, flags.hosts);
  const ca = flags.ca !== undefined || flags.caKey !== undefined ? await readAuthority(context, flags) : undefined;
  const out = flags.out;
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
}
