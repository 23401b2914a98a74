import { defaultPkiCrypto, type PkiCrypto } from '../../crypto.js';
import { PkiError } from '../../errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, type FileSet } from '../../fileset.js';
import type { CertificateAuthority } from '../../signing/authority.js';
import type { ClusterDescription } from '../../bundle/types.js';
import { assessDeployment, type DeploymentAssessment, type EndpointObservation } from '../deployment.js';
import { readBundleInventory } from '../inventory.js';
import { BUNDLE_FILES } from '../../bundle/layout.js';
import { updateManifest, type NewManifestFile } from '../manifest-update.js';
import type { RenewedCertificate } from '../renew.js';
import { locateRotationCas, phaseIntegrity, type IntegrityProblem, type RotationCas } from './cas.js';
import { ROTATION_FILES } from '../../bundle/rotation-files.js';
import { phaseOne, phaseThree, phaseTwo, restorePhase } from './phases.js';
import {
  lastPhase,
  rotationStateFile,
  rotationStateOf,
  type DeploymentRecord,
  type RotationPhase,
  type RotationState,
} from '../../bundle/rotation-state.js';
import { rotationSteps } from './steps.js';
import type { LifecycleStep } from '../steps.js';

/**
 * How the previous phase is known to be in place on the cluster: observations of every member's
 * client and peer port (see assessDeployment), or the operator's word (`--assume-deployed`).
 */
export type RotationDeployment = { readonly observations: readonly EndpointObservation[] } | { readonly assumed: true };

export interface PlanCaRotationOptions {
  /** The bundle's files by relative path, rotation.json included. */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  readonly phase: RotationPhase;
  /** Required for phases 2 and 3, and for a phase 1 that follows an earlier rotation. */
  readonly deployment?: RotationDeployment | undefined;
  /** Phase 1: the new CA, when made elsewhere. Default a new root CA like the old (key algorithm, names, `cluster.expiry.ca`). */
  readonly newCa?: CertificateAuthority | undefined;
  /** Phase 1: the new CA's common name. Default the old one with today's date (`ETCD Root CA 2026-11-25`). */
  readonly commonName?: string | undefined;
  /** Phase 2: new keys for every certificate instead of keeping them. Default false. */
  readonly rotateKey?: boolean;
  /** Time of the phase; default now. */
  readonly now?: Date;
  /** The crypto seam; default one made on first use. */
  readonly crypto?: PkiCrypto;
  /** Phase 2: called after each certificate is issued. */
  readonly onProgress?: (done: number, total: number) => void;
  /** The leader's name, as the live cluster reported it: the rolling restart puts it last. */
  readonly leader?: string | undefined;
}

/** One phase of a CA rotation, planned. */
export interface CaRotationPlan extends FileSet {
  readonly phase: RotationPhase;
  /** The phase was written before: this run only restores the files the bundle lost since. */
  readonly restored: boolean;
  /**
   * Bundle files to delete once `files` are written: the new CA's own files once it is ca/ca.pem
   * (phase 2), the old CA's once archived under ca/retired-* (phase 3). Each is written elsewhere first.
   */
  readonly removals: readonly string[];
  readonly state: RotationState;
  /** The check of the previous phase on the live cluster, when observations were given. */
  readonly assessment?: DeploymentAssessment;
  /** Phase 2: the certificates issued from the new CA. */
  readonly reissued: readonly RenewedCertificate[];
  readonly steps: readonly LifecycleStep[];
  readonly warnings: readonly string[];
}

/**
 * Plans one phase of replacing the bundle's CA without downtime. Phase 1 makes the new CA and
 * puts old + new into every member's and client's ca.pem; phase 2 issues every server, peer and
 * client certificate again from the new CA (which becomes ca/ca.pem; the old CA moves to
 * ca/old-ca.pem); phase 3 leaves only the new CA in the ca.pem files and archives the old CA and
 * its key as ca/retired-<time>-ca*.pem. rotation.json records each phase; a phase refuses to start
 * unless the previous one was written, is still intact in the bundle, and is deployed. The phase
 * last written, run again over a bundle that lost some of its files, restores them.
 * Pure: reads `bundle`, returns the files to write and remove.
 * @throws PkiError INVALID_CLUSTER naming what is missing: a phase out of order, a bundle changed
 *   since the last phase, the previous phase not deployed (with each endpoint's finding).
 */
export async function planCaRotation(options: PlanCaRotationOptions): Promise<CaRotationPlan> {
  const inventory = readBundleInventory(options.bundle);
  // Its phases replace the one CA behind both ports; with a peer CA they would issue the peer
  // certificates from a CA the peer ports do not trust (issue 17: not yet supported).
  if (inventory.files.has(BUNDLE_FILES.peerCaCertificate)) {
    throw new PkiError(
      'UNSUPPORTED',
      'rotate-ca rotates the CA of a bundle with one CA; this bundle has a peer CA too (trust separate or migrating)',
      {
        file: BUNDLE_FILES.peerCaCertificate,
        hint: 'renew the certificates instead (etcd-pki renew -all) while the CAs are valid; rotating the client and peer CAs is not supported yet',
      },
    );
  }
  const state = rotationStateOf(inventory.files);
  const now = options.now ?? new Date();
  const crypto = options.crypto ?? defaultPkiCrypto();
  const previous = lastPhase(state);
  const { phase } = options;

  let cas: RotationCas | undefined;
  let problems: IntegrityProblem[] = [];
  if (state && previous !== 0) {
    cas = locateRotationCas(inventory, state);
    problems = await phaseIntegrity(inventory, cas, previous);
  }
  // The phase last written, again: restores its files when the bundle lost them, and otherwise
  // writes nothing and says its steps again (a run killed after rotation.json was written is
  // repaired by running the same command).
  const restoring = phase === previous;
  const expected = phase === 1 ? [0, 3] : [phase - 1];
  if (!restoring && !expected.includes(previous)) {
    throw new PkiError('INVALID_CLUSTER', outOfOrder(phase, previous), {
      file: ROTATION_FILES.state,
      hint:
        previous === 0
          ? 'start with etcd-pki rotate-ca -phase 1'
          : `run etcd-pki rotate-ca status, then -phase ${previous === 3 ? 1 : previous + 1}`,
    });
  }
  if (!restoring && problems.length > 0) {
    throw new PkiError(
      'INVALID_CLUSTER',
      `the bundle is no longer as phase ${previous} left it: ${problems.map((p) => p.text).join('; ')}`,
      {
        file: ROTATION_FILES.state,
        hint: `run etcd-pki rotate-ca -phase ${previous} again to restore its files, or restore them from a backup`,
      },
    );
  }
  let assessment: DeploymentAssessment | undefined;
  let deployed: DeploymentRecord | undefined;
  if (cas && !restoring)
    ({ assessment, deployed } = await checkDeployed(previous as RotationPhase, inventory.cluster, cas, options.deployment));

  const base = { inventory, state, now, crypto, deployed };
  const planned = restoring
    ? await restorePhase({ ...base, cas: cas! }, phase, problems)
    : phase === 1
      ? await phaseOne(base, options)
      : phase === 2
        ? await phaseTwo({ ...base, cas: cas! }, options)
        : await phaseThree({ ...base, cas: cas! });
  // A phase run again shows every file the phase put in owners' directories, not only the ones
  // it restored: the operator of a killed run may have copied none of them.
  const stepFiles = restoring
    ? [...inventory.files]
        .filter(([path]) => path.endsWith('.pem') && !path.startsWith('ca/'))
        .map(([path, contents]) => ({
          path,
          contents,
          mode: path.endsWith('-key.pem') ? SECRET_FILE_MODE : PUBLIC_FILE_MODE,
          secret: path.endsWith('-key.pem'),
        }))
    : planned.files;
  const steps = rotationSteps({ phase, cluster: inventory.cluster, files: stepFiles, state: planned.state, leader: options.leader });
  const added = new Map<string, NewManifestFile>(planned.added);
  const manifest = updateManifest({
    manifest: inventory.manifest,
    written: planned.files,
    added,
    removed: planned.removals,
    ...(planned.cluster ? { cluster: planned.cluster } : {}),
  });
  return {
    phase,
    restored: restoring,
    // rotation.json last: it says the phase is written only once everything else is.
    files: [...planned.files, manifest, rotationStateFile(planned.state)],
    removals: planned.removals,
    state: planned.state,
    ...(assessment ? { assessment } : {}),
    reissued: planned.reissued,
    steps,
    warnings: planned.warnings,
  };
}

/**
 * Whether the previous phase is on the cluster. Observations decide (assessDeployment); the
 * operator's word is recorded as such.
 */
async function checkDeployed(
  previous: RotationPhase,
  cluster: ClusterDescription,
  cas: RotationCas,
  deployment: RotationDeployment | undefined,
): Promise<{ assessment?: DeploymentAssessment; deployed: DeploymentRecord }> {
  if (deployment === undefined) {
    throw new PkiError('INVALID_CLUSTER', `phase ${previous} must be deployed before the next phase starts, and nothing shows it is`, {
      file: ROTATION_FILES.state,
      hint: `pass each member's client and peer URL with -endpoint (or -verify to use the advertised ones) so that etcd-pki checks it, or --assume-deployed if you checked yourself`,
    });
  }
  if ('assumed' in deployment) return { deployed: { how: 'assumed', endpoints: [] } };
  const assessment = await assessDeployment({
    phase: previous,
    cluster,
    observations: deployment.observations,
    newCa: cas.next.certificate,
  });
  if (!assessment.deployed) {
    const failing = assessment.findings.filter((f) => !f.ok).map((f) => f.text);
    throw new PkiError('INVALID_CLUSTER', `phase ${previous} is not deployed on the cluster yet: ${failing.join('; ')}`, {
      hint: `finish phase ${previous} as it said (copy the files, restart where it said), then run this again; etcd-pki rotate-ca status shows what each member serves and accepts`,
    });
  }
  return { assessment, deployed: { how: 'verified', endpoints: deployment.observations.map((o) => o.url) } };
}

function outOfOrder(phase: RotationPhase, previous: 0 | RotationPhase): string {
  if (previous === 0) return `phase ${phase} needs phase ${phase - 1} first: no CA rotation has started in this bundle`;
  if (phase === 1) return `a CA rotation is in progress (phase ${previous} written); phase 1 of a new one starts after phase 3`;
  if (previous >= phase) return `phase ${phase} was already written (the rotation is at phase ${previous})`;
  return `phase ${phase} needs phase ${phase - 1} first (the rotation is at phase ${previous})`;
}
