import { PkiError } from '../errors.js';
import { parseCertificateBundle, type ParsedCertificate } from '../x509/parse.js';
import { sameCertificate } from '../bundle/certificate-facts.js';
import { BUNDLE_FILES } from '../bundle/layout.js';
import { readManifest, type BundleManifest, type FileRole } from '../bundle/manifest.js';
import type { ClusterDescription } from '../bundle/types.js';

/** What a certificate is for: the CA, a member's client-port (server) or peer certificate, a client's. */
export type LifecycleRole = 'ca' | 'server' | 'peer' | 'client';

/** manifest.json's certificate roles and what they are to the lifecycle commands. */
export const CERTIFICATE_FILE_ROLES = {
  'ca-certificate': 'ca',
  'server-certificate': 'server',
  'peer-certificate': 'peer',
  'client-certificate': 'client',
} as const satisfies Partial<Record<FileRole, LifecycleRole>>;

/** The manifest role of a leaf's key file, by the leaf's role. */
export const KEY_FILE_ROLES = {
  ca: 'ca-key',
  server: 'server-key',
  peer: 'peer-key',
  client: 'client-key',
} as const satisfies Record<LifecycleRole, FileRole>;

/** One certificate file of a bundle, parsed: a leaf, the CA, or a member's or client's trust bundle. */
export interface BundleCertificateFile {
  readonly path: string;
  readonly role: LifecycleRole;
  /** The member or client whose directory holds it; null for `ca/`. */
  readonly owner: string | null;
  /** Every certificate in the file, in its order (a trust bundle may hold two CAs). */
  readonly certificates: readonly ParsedCertificate[];
}

/** A bundle read into memory: its manifest, description and certificate files. */
export interface BundleInventory {
  readonly manifest: BundleManifest;
  readonly cluster: ClusterDescription;
  /** The bundle's files by relative path, as given. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Every certificate file the manifest lists that exists, in the manifest's order. */
  readonly certificates: readonly BundleCertificateFile[];
}

/**
 * Reads a bundle (files by relative path, as cluster-bundle wrote them) through its manifest.json:
 * which file is which role and belongs to whom comes from there, not from file names.
 * @throws PkiError INVALID_CLUSTER without manifest.json; parse errors naming the file.
 */
export function readBundleInventory(files: ReadonlyMap<string, Uint8Array>): BundleInventory {
  const manifestBytes = files.get(BUNDLE_FILES.manifest);
  if (manifestBytes === undefined) {
    throw new PkiError('INVALID_CLUSTER', `the bundle has no ${BUNDLE_FILES.manifest}`, {
      hint: 'point -out at a directory made by cluster-bundle',
    });
  }
  const { manifest, cluster } = readManifest(manifestBytes);
  const certificates: BundleCertificateFile[] = [];
  for (const entry of manifest.files) {
    const role = certificateRoleOf(entry.role);
    const bytes = files.get(entry.path);
    if (role === undefined || bytes === undefined) continue;
    certificates.push({
      path: entry.path,
      role,
      owner: entry.owner,
      certificates: parseCertificateBundle(Buffer.from(bytes).toString('utf8'), entry.path),
    });
  }
  return { manifest, cluster, files, certificates };
}

/** The lifecycle role of a manifest file role, or undefined when the file is not a certificate. */
export function certificateRoleOf(role: FileRole): LifecycleRole | undefined {
  return (CERTIFICATE_FILE_ROLES as Partial<Record<FileRole, LifecycleRole>>)[role];
}

/**
 * The key file of a certificate file, by cfssljson's naming that the bundle follows:
 * `etcd1/etcd1-peer.pem` -> `etcd1/etcd1-peer-key.pem`, `ca/ca.pem` -> `ca/ca-key.pem`.
 */
export function keyPathOf(certificatePath: string): string {
  return certificatePath.replace(/\.pem$/, '-key.pem');
}

/** The bundle's leaf certificates, each once: the shared server certificate is one group of files. */
export interface CertificateGroup {
  readonly role: LifecycleRole;
  readonly owners: readonly string[];
  readonly files: readonly BundleCertificateFile[];
}

/** The leaf certificates in `inventory`, grouped. */
export function certificateGroups(inventory: BundleInventory): CertificateGroup[] {
  const groups: { role: LifecycleRole; owners: string[]; files: BundleCertificateFile[] }[] = [];
  for (const file of inventory.certificates) {
    if (file.role === 'ca' || file.owner === null || file.certificates.length === 0) continue;
    const leaf = file.certificates[0]!;
    const group = groups.find((g) => g.role === file.role && sameCertificate(g.files[0]!.certificates[0]!, leaf));
    if (group) {
      group.owners.push(file.owner);
      group.files.push(file);
    } else groups.push({ role: file.role, owners: [file.owner], files: [file] });
  }
  return groups;
}
