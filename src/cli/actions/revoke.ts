import { join } from 'node:path';
import { applyToBundle } from '../../io/apply.js';
import { planRevocation } from '../../lifecycle/revocation.js';
import { renderSteps } from '../../lifecycle/steps.js';
import type { RevokeFlags } from '../commands/revoke.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson } from '../output.js';
import { readAuthority } from '../read-authority.js';

/** `revoke`: see commands/revoke.ts for its flags. */
export async function run(context: CliContext, flags: RevokeFlags): Promise<void> {
  const ca = flags.ca !== undefined || flags.caKey !== undefined ? await readAuthority(context, flags) : undefined;
  const out = flags.out;
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
}
