import { defaultPkiCrypto, type PkiCrypto } from '../../crypto.js';
import { PkiError } from '../../errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, type FileSet, type PlannedFile } from '../../fileset.js';
import { BUNDLE_FILES } from '../../bundle/layout.js';
import { readManifest } from '../../bundle/manifest.js';
import { ROTATION_FILES } from '../../bundle/rotation-files.js';
import { lastPhase, rotationStateFile, rotationStateOf, type RotationState } from '../../bundle/rotation-state.js';
import { certificateFacts } from '../../bundle/certificate-facts.js';
import { rfc3339 } from '../../x509/time.js';
import { ETCD_RELOAD } from '../etcd-reload.js';
import { certificateGroups, readBundleInventory } from '../inventory.js';
import { updateManifest } from '../manifest-update.js';
import { reissueGroups, type RenewedCertificate } from '../renew.js';
import { copyStep, rollingRestart, type LifecycleStep } from '../steps.js';
import { locateRotationCas, signingAuthority, trustFiles } from './cas.js';

export interface PlanCaRotationAbortOptions {
  /** The bundle's files by relative path, rotation.json included. */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** The leader's name, as the live cluster reported it: the rolling restart puts it last. */
  readonly leader?: string | undefined;
  readonly now?: Date;
  readonly crypto?: PkiCrypto;
}

/** A CA rotation abandoned: the bundle as it was before phase 1, with certificates from the old CA. */
export interface CaRotationAbort extends FileSet {
  /** The phase that was written when the rotation was abandoned. */
  readonly from: 1 | 2;
  readonly removals: readonly string[];
  readonly state: RotationState;
  /** After phase 2: the certificates issued again from the old CA (same keys). */
  readonly reissued: readonly RenewedCertificate[];
  readonly steps: readonly LifecycleStep[];
  readonly warnings: readonly string[];
}

/**
 * Returns every member and client to the old CA before phase 3 (the way back while the old CA is
 * still trusted everywhere): every trust file holds only the old CA again, the new CA's files are
 * removed, and after phase 2 every certificate is issued again from the old CA, which becomes
 * ca/ca.pem again. rotation.json keeps the abandoned rotation in its history; phase 1 may start
 * a new one. Pure: reads `bundle`, returns the files to write and remove.
 * @throws PkiError INVALID_CLUSTER with no rotation in progress, after phase 3 (the old CA is
 *   retired: rotate again instead), or after phase 2 without the old CA's key in the bundle.
 */
export async function planCaRotationAbort(options: PlanCaRotationAbortOptions): Promise<CaRotationAbort> {
  const inventory = readBundleInventory(options.bundle);
  const state = rotationStateOf(inventory.files);
  const from = lastPhase(state);
  const now = options.now ?? new Date();
  if (state === undefined || from === 0) {
    throw new PkiError('INVALID_CLUSTER', 'no CA rotation is in progress: there is nothing to abort', {
      file: ROTATION_FILES.state,
      hint: 'etcd-pki rotate-ca status shows where the bundle stands',
    });
  }
  if (from === 3) {
    throw new PkiError(
      'INVALID_CLUSTER',
      'phase 3 is written: the old CA is retired and no longer trusted, so there is no way back to it',
      {
        file: ROTATION_FILES.state,
        hint: 'rotate again: etcd-pki rotate-ca -phase 1 (with -new-ca and -new-ca-key of the retired CA under ca/retired-* to return to it)',
      },
    );
  }
  const cas = locateRotationCas(inventory, state);
  const oldTrust = pemText(cas.old.bytes);
  const files: PlannedFile[] = [];
  const removals: string[] = [];
  let reissued: RenewedCertificate[] = [];
  const warnings: string[] = [];
  let cluster: ReturnType<typeof readManifest>['manifest']['cluster'] | undefined;
  if (from === 2) {
    const old = signingAuthority(cas.old, 'old');
    // The old CA back as ca/ca.pem, keys first (io/ writes in this order); its copies under ca/old-ca* go.
    files.push({ path: BUNDLE_FILES.caKey, contents: cas.old.key!.bytes, mode: SECRET_FILE_MODE, secret: true });
    files.push({ path: BUNDLE_FILES.caCertificate, contents: cas.old.bytes, mode: PUBLIC_FILE_MODE, secret: false });
    const result = await reissueGroups({
      inventory,
      groups: certificateGroups(inventory),
      ca: old,
      rotateKey: false,
      newIssuer: true,
      now,
      crypto: options.crypto ?? defaultPkiCrypto(),
    });
    files.push(...result.files);
    reissued = result.renewed;
    warnings.push(...result.warnings);
    removals.push(...[ROTATION_FILES.oldCaCertificate, ROTATION_FILES.oldCaKey].filter((path) => inventory.files.has(path)));
    const manifest = readManifest(inventory.files.get(BUNDLE_FILES.manifest)!).manifest;
    cluster = { ...manifest.cluster, ca: { ...manifest.cluster.ca, CN: certificateFacts(cas.old.certificate).commonName } };
  } else {
    removals.push(...[ROTATION_FILES.newCaCertificate, ROTATION_FILES.newCaKey].filter((path) => inventory.files.has(path)));
  }
  files.push(...trustFiles(inventory).map((file) => ({ path: file.path, contents: oldTrust, mode: PUBLIC_FILE_MODE, secret: false })));
  const abandoned: RotationState = {
    format: state.format,
    oldCa: state.oldCa,
    newCa: state.oldCa,
    phases: [],
    history: [...(state.history ?? []), { oldCa: state.oldCa, newCa: state.newCa, phases: state.phases, aborted: rfc3339(now) }],
  };
  const manifest = updateManifest({
    manifest: inventory.manifest,
    written: files,
    added: new Map(),
    removed: removals,
    ...(cluster ? { cluster } : {}),
  });

  const owners = [...inventory.cluster.members.map((m) => m.name), ...inventory.cluster.clients.map((c) => c.name)];
  const secret = (path: string) => files.some((f) => f.path === path && f.secret);
  const copies = owners.flatMap((owner) => {
    const paths = files.filter((f) => f.path.startsWith(`${owner}/`)).map((f) => f.path);
    return paths.length > 0 ? [copyStep(inventory.cluster, owner, paths, secret)] : [];
  });
  const steps: LifecycleStep[] = [
    ...copies,
    ...(from === 2
      ? [
          {
            kind: 'note' as const,
            text: `install on every member before restarting any: ${ETCD_RELOAD.certificate.reason}; each member still trusts both CAs until restarted, so the old-CA certificates work at once`,
          },
        ]
      : []),
    rollingRestart(
      inventory.cluster,
      `${ETCD_RELOAD.trustedCa.reason}; until restarted, a member still accepts certificates from the abandoned CA`,
      options.leader,
    ),
    { kind: 'note', text: 'clients: restart long-running clients so that they stop trusting the abandoned CA' },
  ];
  return {
    from,
    files: [...files, manifest, rotationStateFile(abandoned)],
    removals,
    state: abandoned,
    reissued,
    steps,
    warnings,
  };
}

function pemText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8');
  return text.endsWith('\n') ? text : `${text}\n`;
}
