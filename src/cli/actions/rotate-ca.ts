import { lastPhase, rotationStateOf, type RotationPhase } from '../../bundle/rotation-state.js';
import { PkiError } from '../../errors.js';
import { applyToBundle, assertBundle } from '../../io/apply.js';
import { readBundleFiles } from '../../io/read-bundle.js';
import type { EndpointObservation } from '../../lifecycle/deployment.js';
import { readBundleInventory } from '../../lifecycle/inventory.js';
import { planCaRotationAbort } from '../../lifecycle/rotation/abort.js';
import { planCaRotation } from '../../lifecycle/rotation/rotate-ca.js';
import { rotationStatus } from '../../lifecycle/rotation/status.js';
import { memberEndpoints, renderSteps } from '../../lifecycle/steps.js';
import type { RotateCaFlags } from '../commands/rotate-ca.js';
import type { CliContext } from '../context.js';
import { inBundle } from '../in-bundle.js';
import { goJson, progress, type Progress } from '../output.js';
import { readAuthority } from '../read-authority.js';
import { clusterLeader, observeRotation } from '../rotation-observe.js';

/** `rotate-ca`: see commands/rotate-ca.ts for its flags. */
export async function run(context: CliContext, status: string | undefined, flags: RotateCaFlags): Promise<void> {
  const phase = parsePhase(status, flags.phase);
  if (phase !== 'status' && flags.assumeDeployed && (flags.verify || flags.endpoint.length > 0)) {
    throw new PkiError('USAGE', '--assume-deployed skips the check that -verify and -endpoint ask for', {
      hint: 'give one or the other',
    });
  }
  if (phase !== 1 && phase !== 'status' && (flags.caCn !== undefined || flags.newCa !== undefined || flags.newCaKey !== undefined)) {
    throw new PkiError('USAGE', '-ca-cn, -new-ca and -new-ca-key choose the new CA, in phase 1', {
      hint: 'leave them out of later phases',
    });
  }
  if (phase !== 2 && flags.rotateKey) throw new PkiError('USAGE', '-rotate-key applies to phase 2', { hint: 'leave it out here' });
  const out = flags.out;
  const wanted = (path: string) => path.endsWith('.pem') || path === 'manifest.json' || path === 'rotation.json';
  if (phase === 'status') {
    await assertBundle(out);
    const bundle = await readBundleFiles(context.stdin, out, wanted);
    const observations = await liveObservations(bundle, flags);
    return printStatus(context, out, bundle, observations, flags).catch((error: unknown) => {
      throw inBundle(error, out, bundle);
    });
  }

  if (phase === 'abort') return abortRotation(context, flags, wanted);

  const newCa =
    flags.newCa !== undefined || flags.newCaKey !== undefined
      ? await readAuthority(context, { ca: flags.newCa, caKey: flags.newCaKey })
      : undefined;
  let issuing: Progress | undefined;
  const { plan, report, removed } = await applyToBundle({
    run: context,
    out,
    mode: 'update',
    read: wanted,
    removeStaleTemps: true,
    plan: async (bundle) => {
      const observations = await liveObservations(bundle, flags);
      // Where it can see the cluster, the rolling restart it prints puts the real leader last.
      const leader = flags.verify || flags.endpoint.length > 0 ? await clusterLeader(bundle) : undefined;
      return planCaRotation({
        leader,
        bundle,
        phase,
        deployment: flags.assumeDeployed ? { assumed: true } : observations ? { observations } : undefined,
        newCa,
        commonName: flags.caCn,
        rotateKey: flags.rotateKey ?? false,
        onProgress: (_done, total) => (issuing ??= progress(context.output, total, 'certificates', context.quiet)).tick(),
      }).catch((error: unknown) => {
        throw inBundle(error, out, bundle);
      });
    },
    // Each phase lists exactly the keys it writes: phase 2 replaces ca/ca-key.pem (copied to
    // ca/old-ca-key.pem first, in the same write) and, with -rotate-key, the leaves' keys. The
    // files a phase moved elsewhere (plan.removals) are removed after the write.
    force: true,
    onWriteStart: () => issuing?.done(),
  });
  for (const warning of plan.warnings) context.output.stderr(`etcd-pki: warning: ${warning}\n`);
  if (flags.json) {
    context.output.stdout(
      goJson(
        {
          out,
          phase,
          restored: plan.restored,
          state: plan.state,
          written: report.written,
          removed,
          reissued: plan.reissued.map((r) => ({
            ...r,
            previousNotAfter: r.previousNotAfter.toISOString(),
            notAfter: r.notAfter.toISOString(),
          })),
          ...(plan.assessment ? { previousPhase: plan.assessment } : {}),
          steps: plan.steps,
          warnings: plan.warnings,
        },
        '  ',
      ) + '\n',
    );
    return;
  }
  const verified = plan.restored ? undefined : plan.state.phases.at(-1)?.previousDeployed;
  context.output.stdout(
    [
      `${out}: CA rotation phase ${phase} of 3 ${plan.restored ? 'restored' : 'written'} (${report.written.length} files${removed.length ? `, ${removed.length} moved into place and removed` : ''})`,
      `old CA "${plan.state.oldCa.commonName}" ${plan.state.oldCa.fingerprint.slice(0, 23)}...; new CA "${plan.state.newCa.commonName}" ${plan.state.newCa.fingerprint.slice(0, 23)}...`,
      ...(verified
        ? [
            `phase ${phase - 1} deployment: ${verified.how === 'verified' ? `verified on ${verified.endpoints.length} endpoints` : 'assumed (--assume-deployed)'}`,
          ]
        : []),
      'next:',
      renderSteps(plan.steps, out),
    ].join('\n'),
  );
}

function parsePhase(status: string | undefined, phase: string | undefined): RotationPhase | 'status' | 'abort' {
  if (status === 'abort') {
    if (phase !== undefined) throw new PkiError('USAGE', 'abort and -phase together', { hint: 'give one' });
    return 'abort';
  }
  if (status !== undefined && status !== 'status') {
    throw new PkiError('USAGE', `unknown argument ${JSON.stringify(status)}`, { hint: 'rotate-ca takes -phase 1|2|3, status or abort' });
  }
  if (status === 'status' || phase === 'status') {
    if (status === 'status' && phase !== undefined && phase !== 'status')
      throw new PkiError('USAGE', 'status and -phase together', { hint: 'give one' });
    return 'status';
  }
  if (phase === '1' || phase === '2' || phase === '3') return Number(phase) as RotationPhase;
  throw new PkiError('USAGE', phase === undefined ? 'which phase?' : `-phase ${JSON.stringify(phase)} is not a phase`, {
    hint: 'rotate-ca -phase 1, 2 or 3 (in that order), or rotate-ca status',
  });
}

/** Live observations from -endpoint and -verify; undefined when neither was given. */
async function liveObservations(bundle: ReadonlyMap<string, Uint8Array>, flags: RotateCaFlags): Promise<EndpointObservation[] | undefined> {
  const urls = [...flags.endpoint];
  if (flags.verify) {
    urls.push(...memberEndpoints(readBundleInventory(bundle).cluster).filter((url) => !urls.includes(url)));
  }
  if (urls.length === 0) return undefined;
  // Before the first rotation there is nothing to probe for: phase 1 needs no evidence.
  if (lastPhase(rotationStateOf(bundle)) === 0) return undefined;
  return observeRotation(bundle, urls);
}

async function printStatus(
  context: CliContext,
  out: string,
  bundle: ReadonlyMap<string, Uint8Array>,
  observations: EndpointObservation[] | undefined,
  flags: RotateCaFlags,
): Promise<void> {
  const status = await rotationStatus({ bundle, observations });
  if (flags.json) {
    context.output.stdout(goJson({ out, ...status }, '  ') + '\n');
    return;
  }
  const lines = [`${out}: ${status.phase === 0 ? 'no CA rotation' : `CA rotation at phase ${status.phase} of 3`}`];
  if (status.state) lines.push(`old CA "${status.state.oldCa.commonName}", new CA "${status.state.newCa.commonName}"`);
  for (const problem of status.integrity) lines.push(`  bundle: ${problem}`);
  for (const finding of status.assessment?.findings ?? []) lines.push(`  ${finding.ok ? 'OK  ' : 'FAIL'} ${finding.text}`);
  lines.push(status.next);
  context.output.stdout(lines.join('\n') + '\n');
  if (status.integrity.length > 0 || (status.assessment && !status.assessment.deployed)) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `phase ${status.phase} is ${status.integrity.length > 0 ? 'no longer intact in the bundle' : 'not deployed everywhere'}`,
      {
        hint: status.next,
      },
    );
  }
}

/** `rotate-ca abort`: before phase 3, every member and client back to the old CA. */
async function abortRotation(context: CliContext, flags: RotateCaFlags, wanted: (path: string) => boolean): Promise<void> {
  const out = flags.out;
  const { plan, report, removed } = await applyToBundle({
    run: context,
    out,
    mode: 'update',
    read: wanted,
    removeStaleTemps: true,
    plan: async (bundle) => {
      const leader = flags.verify || flags.endpoint.length > 0 ? await clusterLeader(bundle) : undefined;
      return planCaRotationAbort({ bundle, leader }).catch((error: unknown) => {
        throw inBundle(error, out, bundle);
      });
    },
    // After phase 2 it puts the old CA key back as ca/ca-key.pem.
    force: true,
  });
  for (const warning of plan.warnings) context.output.stderr(`etcd-pki: warning: ${warning}\n`);
  if (flags.json) {
    context.output.stdout(
      goJson({ out, aborted: plan.from, written: report.written, removed, steps: plan.steps, warnings: plan.warnings }, '  ') + '\n',
    );
    return;
  }
  context.output.stdout(
    [
      `${out}: CA rotation abandoned at phase ${plan.from}; every certificate and trust file is from the old CA "${plan.state.oldCa.commonName}" again (${report.written.length} files${removed.length ? `, ${removed.length} removed` : ''})`,
      'next:',
      renderSteps(plan.steps, out),
    ].join('\n'),
  );
}
