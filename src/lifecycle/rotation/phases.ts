import type { PkiCrypto } from '../../crypto.js';
import { PkiError } from '../../errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, type PlannedFile } from '../../fileset.js';
import { encodePrivateKey } from '../../keys/write.js';
import type { CertificateAuthority } from '../../signing/authority.js';
import { initCA } from '../../signing/operations.js';
import { EMPTY_SANS } from '../../x509/hosts.js';
import { subjectNameOf } from '../../x509/name.js';
import { parseCertificate } from '../../x509/parse.js';
import { signCrl } from '../../x509/crl.js';
import { parseCrl } from '../../x509/crl-read.js';
import { PEM_LABELS, encodePem } from '../../pem/pem.js';
import { rfc3339 } from '../../x509/time.js';
import { BUNDLE_FILES } from '../../bundle/layout.js';
import { readManifest } from '../../bundle/manifest.js';
import type { ClusterDescription } from '../../bundle/types.js';
import { certificateFacts } from '../../bundle/certificate-facts.js';
import { certificateGroups, type BundleInventory } from '../inventory.js';
import type { NewManifestFile } from '../manifest-update.js';
import { reissueGroups, type RenewedCertificate } from '../renew.js';
import { signingAuthority, trustFiles, trustText, type IntegrityProblem, type RotationCas } from './cas.js';
import { ROTATION_FILES, retiredCaPaths } from '../../bundle/rotation-files.js';
import { ROTATION_FORMAT, rotationCa, type DeploymentRecord, type RotationPhase, type RotationState } from '../../bundle/rotation-state.js';

/** The options of planCaRotation that the phases read. */
export interface PhaseOptions {
  readonly newCa?: CertificateAuthority | undefined;
  readonly commonName?: string | undefined;
  readonly rotateKey?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a phase contributes before the manifest and rotation.json are added. */
export interface PhaseFiles {
  readonly files: PlannedFile[];
  readonly added: ReadonlyArray<readonly [string, NewManifestFile]>;
  readonly removals: string[];
  readonly state: RotationState;
  readonly reissued: RenewedCertificate[];
  readonly warnings: string[];
  readonly cluster?: ClusterDescription['json'];
}

/** What every phase works from. */
export interface PhaseContext {
  readonly inventory: BundleInventory;
  readonly state: RotationState | undefined;
  readonly now: Date;
  readonly crypto: PkiCrypto;
  readonly deployed: DeploymentRecord | undefined;
}

/** Phase 1: a new CA (ca/new-ca*.pem), and old + new in every member's and client's ca.pem. */
export async function phaseOne(context: PhaseContext, options: PhaseOptions): Promise<PhaseFiles> {
  const { inventory, now } = context;
  const oldBytes = inventory.files.get(BUNDLE_FILES.caCertificate);
  const oldCa = inventory.certificates.find((f) => f.path === BUNDLE_FILES.caCertificate)?.certificates[0];
  if (oldBytes === undefined || oldCa === undefined) {
    throw new PkiError('INVALID_CLUSTER', `the bundle has no ${BUNDLE_FILES.caCertificate}`, {
      hint: 'point -out at a directory made by cluster-bundle',
    });
  }
  const next = await newAuthority(context, options, oldCa);
  const trust = pemText(oldBytes) + next.certificate;
  const files: PlannedFile[] = [
    { path: ROTATION_FILES.newCaKey, contents: next.key, mode: SECRET_FILE_MODE, secret: true },
    { path: ROTATION_FILES.newCaCertificate, contents: next.certificate, mode: PUBLIC_FILE_MODE, secret: false },
    ...trustFiles(inventory).map((file) => ({ path: file.path, contents: trust, mode: PUBLIC_FILE_MODE, secret: false })),
  ];
  const previous = context.state;
  const state: RotationState = {
    format: ROTATION_FORMAT,
    oldCa: rotationCa(oldCa),
    newCa: rotationCa(next.authority.certificate),
    phases: [{ phase: 1, writtenAt: rfc3339(now), ...(context.deployed ? { previousDeployed: context.deployed } : {}) }],
    ...(previous && (previous.phases.length > 0 || previous.history)
      ? {
          history: [
            ...(previous.history ?? []),
            ...(previous.phases.length > 0
              ? [
                  {
                    oldCa: previous.oldCa,
                    newCa: previous.newCa,
                    phases: previous.phases,
                    ...(previous.retired ? { retired: previous.retired } : {}),
                  },
                ]
              : []),
          ],
        }
      : {}),
  };
  return {
    files,
    added: [
      [ROTATION_FILES.newCaCertificate, { role: 'ca-certificate', owner: null }],
      [ROTATION_FILES.newCaKey, { role: 'ca-key', owner: null }],
    ],
    removals: [],
    state,
    reissued: [],
    warnings: next.warnings,
  };
}

/** The new CA: left by an interrupted phase 1 (ca/new-ca.pem), given, or made like the old one. */
async function newAuthority(
  context: PhaseContext,
  options: PhaseOptions,
  oldCa: CertificateAuthority['certificate'],
): Promise<{ authority: CertificateAuthority; certificate: string; key: string | Uint8Array; warnings: string[] }> {
  const { inventory } = context;
  const leftCertificate = inventory.files.get(ROTATION_FILES.newCaCertificate);
  const leftKey = inventory.files.get(ROTATION_FILES.newCaKey);
  if (leftCertificate !== undefined && leftKey !== undefined && !options.newCa) {
    const authority = signingAuthority(
      {
        path: ROTATION_FILES.newCaCertificate,
        certificate: parseCertificate(leftCertificate, ROTATION_FILES.newCaCertificate),
        bytes: leftCertificate,
        key: { path: ROTATION_FILES.newCaKey, bytes: leftKey },
      },
      'new',
    );
    return {
      authority,
      certificate: pemText(leftCertificate),
      key: leftKey,
      warnings: [`${ROTATION_FILES.newCaCertificate} was left by an interrupted phase 1; it is the new CA`],
    };
  }
  if (options.newCa) {
    const warnings =
      options.newCa.certificate.notAfter.getTime() <= oldCa.notAfter.getTime() ? ['the new CA expires no later than the old one'] : [];
    return {
      authority: options.newCa,
      certificate: options.newCa.certificate.pem,
      key: encodePrivateKey(options.newCa.key, 'portable'),
      warnings,
    };
  }
  const { cluster } = inventory;
  const made = await initCA({
    request: {
      subject: {
        ...subjectNameOf(oldCa.subject),
        commonName: options.commonName ?? rotatedCommonName(certificateFacts(oldCa).commonName, context.now),
      },
      hosts: [],
      sans: EMPTY_SANS,
      key: cluster.key,
      ca: { expiry: cluster.expiry.ca },
    },
    now: context.now,
    crypto: context.crypto,
  });
  return { authority: made.authority, certificate: made.cert, key: encodePrivateKey(made.keyPair, 'portable'), warnings: [] };
}

/** Phase 2: every certificate from the new CA, which becomes ca/ca.pem; the old CA moves to ca/old-ca*.pem. */
export async function phaseTwo(context: PhaseContext & { cas: RotationCas }, options: PhaseOptions): Promise<PhaseFiles> {
  const { inventory, cas, state } = context;
  const next = signingAuthority(cas.next, 'new');
  const {
    files: issued,
    renewed,
    warnings,
  } = await reissueGroups({
    inventory,
    groups: certificateGroups(inventory),
    ca: next,
    rotateKey: options.rotateKey ?? false,
    newIssuer: true,
    now: context.now,
    crypto: context.crypto,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // The old CA is copied to ca/old-ca*.pem before ca/ca*.pem is replaced: io/ writes keys first,
  // in this order, so a kill in between leaves the old key in both places, never in neither.
  const files: PlannedFile[] = [];
  if (cas.old.key) files.push({ path: ROTATION_FILES.oldCaKey, contents: cas.old.key.bytes, mode: SECRET_FILE_MODE, secret: true });
  files.push({ path: ROTATION_FILES.oldCaCertificate, contents: cas.old.bytes, mode: PUBLIC_FILE_MODE, secret: false });
  files.push({ path: BUNDLE_FILES.caKey, contents: cas.next.key!.bytes, mode: SECRET_FILE_MODE, secret: true });
  files.push({ path: BUNDLE_FILES.caCertificate, contents: cas.next.bytes, mode: PUBLIC_FILE_MODE, secret: false });
  files.push(...issued);
  const manifest = readManifest(inventory.files.get(BUNDLE_FILES.manifest)!).manifest;
  return {
    files,
    added: [
      [ROTATION_FILES.oldCaCertificate, { role: 'ca-certificate', owner: null }],
      ...(cas.old.key ? [[ROTATION_FILES.oldCaKey, { role: 'ca-key', owner: null }] as const] : []),
    ],
    removals: [ROTATION_FILES.newCaCertificate, ROTATION_FILES.newCaKey].filter((path) => inventory.files.has(path)),
    state: withPhase(state!, 2, context),
    reissued: renewed,
    warnings,
    cluster: { ...manifest.cluster, ca: { ...manifest.cluster.ca, CN: certificateFacts(cas.next.certificate).commonName } },
  };
}

/**
 * Phase 3: only the new CA in every ca.pem; the old CA and its key archived as ca/retired-*; the
 * CRLs signed again by the new CA. Their entries are kept: etcd compares serials only, so the old
 * CA's revoked certificates stay refused until the restart that stops trusting the old CA.
 */
export async function phaseThree(context: PhaseContext & { cas: RotationCas }): Promise<PhaseFiles> {
  const { inventory, cas, state } = context;
  const trust = pemText(cas.next.bytes);
  const retired = retiredCaPaths(context.now);
  const files: PlannedFile[] = [];
  if (cas.old.key) files.push({ path: retired.key, contents: cas.old.key.bytes, mode: SECRET_FILE_MODE, secret: true });
  files.push({ path: retired.certificate, contents: cas.old.bytes, mode: PUBLIC_FILE_MODE, secret: false });
  files.push(...trustFiles(inventory).map((file) => ({ path: file.path, contents: trust, mode: PUBLIC_FILE_MODE, secret: false })));
  const crls = await resignedCrls(context);
  files.push(...crls.files);
  const removals = [cas.old.path, ...(cas.old.key ? [cas.old.key.path] : [])].filter(
    (path) => path === ROTATION_FILES.oldCaCertificate || path === ROTATION_FILES.oldCaKey,
  );
  return {
    files,
    added: [
      [retired.certificate, { role: 'ca-certificate', owner: null }],
      ...(cas.old.key ? [[retired.key, { role: 'ca-key', owner: null }] as const] : []),
    ],
    removals,
    state: {
      ...withPhase(state!, 3, context),
      retired: { certificate: retired.certificate, ...(cas.old.key ? { key: retired.key } : {}) },
    },
    reissued: [],
    warnings: [...(cas.old.key ? [] : ['the old CA key was not in the bundle; only its certificate is archived']), ...crls.warnings],
  };
}

/** Every CRL the manifest lists, signed by the new CA with the old list's entries (see phaseThree). */
async function resignedCrls(context: PhaseContext & { cas: RotationCas }): Promise<{ files: PlannedFile[]; warnings: string[] }> {
  const { inventory, cas, now } = context;
  const paths = inventory.manifest.files.filter((f) => f.role === 'crl').map((f) => f.path);
  const previousBytes = inventory.files.get(BUNDLE_FILES.clientCrl);
  if (paths.length === 0 || previousBytes === undefined) return { files: [], warnings: [] };
  if (!cas.next.key) {
    return {
      files: [],
      warnings: ["the new CA's key is not in the bundle, so the CRLs are still the old CA's: run etcd-pki revoke -refresh with it"],
    };
  }
  const ca = signingAuthority(cas.next, 'new');
  const previous = parseCrl(previousBytes, BUNDLE_FILES.clientCrl);
  const der = await signCrl(
    {
      issuer: ca.certificate.subject,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + inventory.cluster.expiry.crl),
      revoked: previous.revoked.map((entry) => ({ serial: entry.serial, revokedAt: entry.revokedAt, reason: entry.reason })),
      authorityKeyId: ca.certificate.extensions.subjectKeyId,
      crlNumber: (previous.crlNumber ?? 0n) + 1n,
    },
    ca.key,
  );
  const pem = encodePem(PEM_LABELS.crl, der);
  return { files: paths.map((path) => ({ path, contents: pem, mode: PUBLIC_FILE_MODE, secret: false })), warnings: [] };
}

/**
 * A phase written again over a bundle that no longer is as it left it (cluster-bundle run
 * mid-rotation, a file restored from an old backup): the trust files, ca/ca.pem and the
 * certificates are put back as the phase made them; rotation.json is unchanged. Certificates not
 * from the new CA are issued again from it, keeping their keys.
 */
export async function restorePhase(
  context: PhaseContext & { cas: RotationCas },
  phase: RotationPhase,
  problems: readonly IntegrityProblem[],
): Promise<PhaseFiles> {
  const { inventory, cas } = context;
  const files: PlannedFile[] = [];
  const trust = trustText(cas, phase);
  for (const problem of problems) {
    if (problem.kind === 'trust-file') files.push({ path: problem.path, contents: trust, mode: PUBLIC_FILE_MODE, secret: false });
  }
  if (problems.some((p) => p.kind === 'issuing-ca') && phase >= 2) {
    files.push({ path: BUNDLE_FILES.caKey, contents: cas.next.key!.bytes, mode: SECRET_FILE_MODE, secret: true });
    files.push({ path: BUNDLE_FILES.caCertificate, contents: cas.next.bytes, mode: PUBLIC_FILE_MODE, secret: false });
  }
  const groups = problems.flatMap((p) => (p.kind === 'leaf' ? [p.group] : []));
  const {
    files: issued,
    renewed,
    warnings,
  } = groups.length
    ? await reissueGroups({
        inventory,
        groups,
        ca: signingAuthority(cas.next, 'new'),
        rotateKey: false,
        newIssuer: true,
        now: context.now,
        crypto: context.crypto,
      })
    : { files: [], renewed: [], warnings: [] };
  files.push(...issued);
  return {
    files,
    added: [],
    removals: [],
    state: context.state!,
    reissued: renewed,
    warnings: [
      problems.length > 0
        ? `restored what phase ${phase} had written: ${problems.map((p) => p.text).join('; ')}`
        : `phase ${phase} was written already and the bundle is as it left it; nothing to restore (its steps again below)`,
      ...warnings,
    ],
  };
}

function withPhase(state: RotationState, phase: RotationPhase, context: PhaseContext): RotationState {
  const record = { phase, writtenAt: rfc3339(context.now), ...(context.deployed ? { previousDeployed: context.deployed } : {}) };
  return { ...state, phases: [...state.phases, record] };
}

/** `ETCD Root CA` -> `ETCD Root CA 2026-11-25`; a date left by an earlier rotation is replaced. */
export function rotatedCommonName(old: string, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  const base = old.replace(/ \d{4}-\d{2}-\d{2}(?:T\d{4}Z)?$/, '');
  const name = `${base} ${date}`;
  return name === old ? `${base} ${date}T${now.toISOString().slice(11, 16).replace(':', '')}Z` : name;
}

function pemText(bytes: Uint8Array | string): string {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  return text.endsWith('\n') ? text : `${text}\n`;
}
