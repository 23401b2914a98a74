import { PkiError } from '../../errors.js';
import { readPrivateKey } from '../../keys/read.js';
import { assertAuthority, type CertificateAuthority } from '../../signing/authority.js';
import { isSignedBy, parseCertificate, type ParsedCertificate } from '../../x509/parse.js';
import { BUNDLE_FILES } from '../../bundle/layout.js';
import { certificateFacts } from '../../bundle/certificate-facts.js';
import { certificateGroups, keyPathOf, type BundleCertificateFile, type BundleInventory, type CertificateGroup } from '../inventory.js';
import { ROTATION_FILES } from '../../bundle/rotation-files.js';
import type { RotationCa, RotationPhase, RotationState } from '../../bundle/rotation-state.js';

/** A CA of the rotation as found in the bundle: where, and its key when the bundle holds it. */
export interface LocatedCa {
  readonly path: string;
  readonly certificate: ParsedCertificate;
  /** The certificate file's bytes, as they are. */
  readonly bytes: Uint8Array;
  readonly key?: { readonly path: string; readonly bytes: Uint8Array };
}

/** The rotation's two CAs, wherever the last phase put them. */
export interface RotationCas {
  readonly old: LocatedCa;
  readonly next: LocatedCa;
}

/**
 * Finds the rotation's CAs by their fingerprints in rotation.json, among the places phases put
 * them (ca/ca.pem, ca/new-ca.pem, ca/old-ca.pem, the retired file), so that a phase interrupted
 * between its files and rotation.json can be run again.
 * @throws PkiError INVALID_CLUSTER when one is nowhere in the bundle.
 */
export function locateRotationCas(inventory: BundleInventory, state: RotationState): RotationCas {
  const candidates = [
    BUNDLE_FILES.caCertificate,
    ROTATION_FILES.newCaCertificate,
    ROTATION_FILES.oldCaCertificate,
    ...(state.retired ? [state.retired.certificate] : []),
  ];
  const find = (ca: RotationCa, which: string): LocatedCa => {
    for (const path of candidates) {
      const bytes = inventory.files.get(path);
      if (bytes === undefined) continue;
      const certificate = parseCertificate(bytes, path);
      if (certificateFacts(certificate).fingerprint !== ca.fingerprint) continue;
      const keyPath = keyPathOf(path);
      const key = inventory.files.get(keyPath);
      return { path, certificate, bytes, ...(key !== undefined ? { key: { path: keyPath, bytes: key } } : {}) };
    }
    throw new PkiError('INVALID_CLUSTER', `the ${which} CA of the rotation ("${ca.commonName}", ${ca.fingerprint}) is not in the bundle`, {
      file: ROTATION_FILES.state,
      hint: `restore ${candidates.join(' or ')} from a backup`,
    });
  };
  return { old: find(state.oldCa, 'old'), next: find(state.newCa, 'new') };
}

/**
 * A located CA that can sign.
 * @throws PkiError INVALID_CLUSTER when its key is not in the bundle; KEY_MISMATCH.
 */
export function signingAuthority(ca: LocatedCa, which: string): CertificateAuthority {
  if (!ca.key) {
    throw new PkiError('INVALID_CLUSTER', `the key of the ${which} CA (${keyPathOf(ca.path)}) is not in the bundle`, {
      file: keyPathOf(ca.path),
      hint: 'put it back from where you keep it offline',
    });
  }
  const key = readPrivateKey(ca.key.bytes, ca.key.path);
  assertAuthority(ca.certificate, key, { certificateFile: ca.path, keyFile: ca.key.path });
  return { certificate: ca.certificate, key };
}

/** Every member's and client's trusted CA file (`<owner>/ca.pem`). */
export function trustFiles(inventory: BundleInventory): BundleCertificateFile[] {
  return inventory.certificates.filter((file) => file.role === 'ca' && file.owner !== null);
}

/** Which CAs each trust file must hold after a phase: both until phase 3, then only the new. */
const TRUSTED_AFTER = { 1: 'both', 2: 'both', 3: 'new' } as const satisfies Record<RotationPhase, 'both' | 'new'>;

/** One way the bundle differs from what a phase left, with what restoring it takes. */
export type IntegrityProblem =
  | { readonly kind: 'trust-file'; readonly path: string; readonly text: string }
  | { readonly kind: 'issuing-ca'; readonly text: string }
  | { readonly kind: 'leaf'; readonly group: CertificateGroup; readonly text: string };

/** The CAs each trust file must hold after `phase`, as PEM text: old + new, or the new alone. */
export function trustText(cas: RotationCas, phase: RotationPhase): string {
  const pem = (bytes: Uint8Array) => {
    const text = Buffer.from(bytes).toString('utf8');
    return text.endsWith('\n') ? text : `${text}\n`;
  };
  return TRUSTED_AFTER[phase] === 'both' ? pem(cas.old.bytes) + pem(cas.next.bytes) : pem(cas.next.bytes);
}

/**
 * How the bundle is not (or no longer) as `phase` left it: a trust file that lost a CA
 * (cluster-bundle run over the bundle mid-rotation?), ca/ca.pem or a certificate not from the new
 * CA after phase 2. Empty when intact.
 */
export async function phaseIntegrity(inventory: BundleInventory, cas: RotationCas, phase: RotationPhase): Promise<IntegrityProblem[]> {
  const problems: IntegrityProblem[] = [];
  const oldPrint = certificateFacts(cas.old.certificate).fingerprint;
  const newPrint = certificateFacts(cas.next.certificate).fingerprint;
  const files = trustFiles(inventory);
  if (files.length === 0) problems.push({ kind: 'issuing-ca', text: 'no member or client has a ca.pem' });
  for (const file of files) {
    const prints = file.certificates.map((c) => certificateFacts(c).fingerprint);
    const wanted = TRUSTED_AFTER[phase] === 'both' ? [oldPrint, newPrint] : [newPrint];
    const missing = wanted.filter((p) => !prints.includes(p));
    const extra = prints.filter((p) => !wanted.includes(p));
    if (missing.length > 0 || extra.length > 0) {
      const what = TRUSTED_AFTER[phase] === 'both' ? 'the old and the new CA' : 'only the new CA';
      problems.push({
        kind: 'trust-file',
        path: file.path,
        text: `${file.path} should hold ${what} after phase ${phase}, but holds ${describeCas(file.certificates)}`,
      });
    }
  }
  if (phase >= 2) {
    const issuing = inventory.files.get(BUNDLE_FILES.caCertificate);
    if (issuing === undefined || certificateFacts(parseCertificate(issuing, BUNDLE_FILES.caCertificate)).fingerprint !== newPrint) {
      problems.push({ kind: 'issuing-ca', text: `${BUNDLE_FILES.caCertificate} should be the new CA after phase ${phase}` });
    }
    for (const group of certificateGroups(inventory)) {
      const leaf = group.files[0]!.certificates[0]!;
      if (!Buffer.from(leaf.issuer).equals(Buffer.from(cas.next.certificate.subject)) || !(await isSignedBy(leaf, cas.next.certificate))) {
        problems.push({
          kind: 'leaf',
          group,
          text: `${group.files[0]!.path} is not issued by the new CA (was it renewed or restored from before phase 2?)`,
        });
      }
    }
  }
  return problems;
}

function describeCas(certificates: readonly ParsedCertificate[]): string {
  return certificates.map((c) => `"${certificateFacts(c).commonName}"`).join(' and ') || 'nothing';
}
