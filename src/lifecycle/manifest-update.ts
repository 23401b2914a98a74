import type { PlannedFile } from '../fileset.js';
import { PUBLIC_FILE_MODE } from '../fileset.js';
import { sanList } from '../x509/hosts.js';
import { parseCertificateBundle } from '../x509/parse.js';
import { rfc3339 } from '../x509/time.js';
import { BUNDLE_FILES } from '../bundle/layout.js';
import { renderManifest, type BundleManifest, type FileRole, type ManifestFile } from '../bundle/manifest.js';
import type { ClusterJson } from '../bundle/types.js';
import { certificateFacts, sha256Hex } from '../bundle/certificate-facts.js';
import { certificateRoleOf } from './inventory.js';

/** A file the manifest does not list yet, with what it is. */
export interface NewManifestFile {
  readonly role: FileRole;
  readonly owner: string | null;
}

export interface UpdateManifestOptions {
  readonly manifest: BundleManifest;
  /** Files written by this change; each listed file's hash and certificate are brought up to date. */
  readonly written: readonly PlannedFile[];
  /** Roles of written files the manifest does not list yet (the rotation's CA files). */
  readonly added?: ReadonlyMap<string, NewManifestFile>;
  /** Files this change removes from the bundle. */
  readonly removed?: readonly string[];
  /** The description to record instead of the manifest's (a rotated CA's new CN). */
  readonly cluster?: ClusterJson;
}

/**
 * manifest.json after a change to the bundle: the same file list and order, with the hash, mode
 * and certificate facts of every changed file recomputed, new files appended and removed ones
 * dropped. A file holding several certificates (a trust bundle) is described by its first, which
 * is what `openssl x509 -in FILE` shows.
 */
export function updateManifest(options: UpdateManifestOptions): PlannedFile {
  const written = new Map(options.written.map((file) => [file.path, file]));
  const removed = new Set(options.removed ?? []);
  const describe = (path: string, role: FileRole, owner: string | null, file: PlannedFile): ManifestFile => {
    const certificate = certificateRoleOf(role) !== undefined ? firstCertificate(file) : undefined;
    return {
      path,
      role,
      owner,
      mode: `0${file.mode.toString(8)}`,
      sha256: sha256Hex(file.contents),
      ...(certificate ? { certificate } : {}),
    };
  };
  const files: ManifestFile[] = [];
  for (const entry of options.manifest.files) {
    if (removed.has(entry.path)) continue;
    const file = written.get(entry.path);
    files.push(file ? describe(entry.path, entry.role, entry.owner, file) : entry);
  }
  for (const [path, { role, owner }] of options.added ?? []) {
    const file = written.get(path);
    if (file && !files.some((f) => f.path === path)) files.push(describe(path, role, owner, file));
  }
  const manifest: BundleManifest = { ...options.manifest, cluster: options.cluster ?? options.manifest.cluster, files };
  return { path: BUNDLE_FILES.manifest, contents: renderManifest(manifest), mode: PUBLIC_FILE_MODE, secret: false };
}

function firstCertificate(file: PlannedFile): ManifestFile['certificate'] {
  const text = typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8');
  const parsed = parseCertificateBundle(text, file.path)[0]!;
  const facts = certificateFacts(parsed);
  return { commonName: facts.commonName, sans: sanList(parsed.sans), notAfter: rfc3339(parsed.notAfter), fingerprint: facts.fingerprint };
}
