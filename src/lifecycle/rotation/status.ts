import { defaultPkiCrypto, type PkiCrypto } from '../../crypto.js';
import type { CertificateAuthority } from '../../signing/authority.js';
import {
  assessDeployment,
  probeCredential,
  type DeploymentAssessment,
  type EndpointObservation,
  type ProbeCredential,
} from '../deployment.js';
import { readBundleInventory } from '../inventory.js';
import { locateRotationCas, phaseIntegrity, signingAuthority, type LocatedCa } from './cas.js';
import { lastPhase, rotationStateOf, type RotationPhase, type RotationState } from '../../bundle/rotation-state.js';

export interface RotationStatusOptions {
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** Live observations of the members' ports, to tell whether the last phase is deployed. */
  readonly observations?: readonly EndpointObservation[] | undefined;
}

/** Where a bundle's CA rotation stands. */
export interface RotationStatus {
  readonly state?: RotationState;
  /** The last phase written; 0 when no rotation was ever started. */
  readonly phase: 0 | RotationPhase;
  /** Why the bundle is no longer as that phase left it; empty when intact. */
  readonly integrity: readonly string[];
  /** Whether that phase is deployed, when observations were given. */
  readonly assessment?: DeploymentAssessment;
  /** What to do next, in a sentence. */
  readonly next: string;
}

/** Reads rotation.json and checks the bundle (and, given observations, the cluster) against its last phase. */
export async function rotationStatus(options: RotationStatusOptions): Promise<RotationStatus> {
  const inventory = readBundleInventory(options.bundle);
  const state = rotationStateOf(inventory.files);
  const phase = lastPhase(state);
  if (!state || phase === 0)
    return { phase: 0, integrity: [], next: 'no CA rotation has started; start one with etcd-pki rotate-ca -phase 1' };
  const cas = locateRotationCas(inventory, state);
  const integrity = (await phaseIntegrity(inventory, cas, phase)).map((problem) => problem.text);
  const assessment = options.observations
    ? await assessDeployment({ phase, cluster: inventory.cluster, observations: options.observations, newCa: cas.next.certificate })
    : undefined;
  const following = phase === 3 ? 'the rotation is complete' : `next: etcd-pki rotate-ca -phase ${phase + 1}`;
  const next =
    integrity.length > 0
      ? `the bundle is no longer as phase ${phase} left it; run etcd-pki rotate-ca -phase ${phase} again to restore its files`
      : assessment === undefined
        ? `phase ${phase} is written; probe the members (-verify or -endpoint) to see whether it is deployed`
        : assessment.deployed
          ? `phase ${phase} is deployed; ${following}`
          : `phase ${phase} is written but not deployed everywhere yet`;
  return { state, phase, integrity, ...(assessment ? { assessment } : {}), next };
}

/** Client certificates to probe members with: one from the rotation's new CA, one from its old CA when its key is at hand. */
export interface RotationProbes {
  readonly newCa?: ProbeCredential;
  readonly oldCa?: ProbeCredential;
}

export interface RotationProbesOptions {
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  readonly now?: Date;
  readonly crypto?: PkiCrypto;
}

/**
 * Probe credentials for the bundle's rotation (none when no rotation was started): what the CLI
 * presents to each member to learn which CAs it trusts. In memory only; valid for an hour.
 */
export async function rotationProbes(options: RotationProbesOptions): Promise<RotationProbes> {
  const inventory = readBundleInventory(options.bundle);
  const state = rotationStateOf(inventory.files);
  if (!state || lastPhase(state) === 0) return {};
  const now = options.now ?? new Date();
  const crypto = options.crypto ?? defaultPkiCrypto();
  const cas = locateRotationCas(inventory, state);
  const probe = async (ca: LocatedCa | undefined, which: string) => {
    const authority: CertificateAuthority | undefined = ca?.key ? signingAuthority(ca, which) : undefined;
    return authority ? await probeCredential(authority, now, crypto) : undefined;
  };
  const [newCa, oldCa] = await Promise.all([probe(cas.next, 'new'), probe(cas.old, 'old')]);
  return { ...(newCa ? { newCa } : {}), ...(oldCa ? { oldCa } : {}) };
}
