import type { PkiCrypto } from '../crypto.js';
import { PkiError } from '../errors.js';
import type { PlannedFile } from '../fileset.js';
import { parseJsonStrict } from '../json.js';
import { colonHex } from '../x509/key-id.js';
import { rfc3339 } from '../x509/time.js';
import { validateClusterDescription } from './load.js';
import { BUNDLE_FILES } from './layout.js';
import type { ClusterDescription, ClusterJson } from './types.js';

/** The value of manifest.json's `format`; changes only with an incompatible layout. */
export const MANIFEST_FORMAT = 'etcd-pki bundle 1';

/** What each file of a bundle is, as manifest.json and README.txt name it. */
export const FILE_ROLES = {
  'ca-certificate': 'the CA certificate, which members and clients trust',
  'ca-key': 'the CA private key: keep it off the nodes, offline if you can',
  'peer-ca-certificate': 'the peer CA certificate, which the peer ports trust (trust "separate")',
  'peer-ca-key': 'the peer CA private key: keep it off the nodes, offline if you can',
  crl: 'a certificate revocation list, which etcd reads at every new connection',
  'server-certificate': "the member's certificate for its client port (server and client auth)",
  'server-key': "the key of the member's server certificate",
  'peer-certificate': "the member's certificate for its peer port (server and client auth)",
  'peer-key': "the key of the member's peer certificate",
  'client-certificate': 'a client certificate (client auth)',
  'client-key': 'the key of a client certificate',
  'etcd-conf': "the member's ETCD_* environment (etcd.conf)",
  'etcd-yaml': "the member's etcd --config-file (same settings as etcd.conf)",
  'etcdctl-env': "the client's ETCDCTL_* environment",
  'install-script': "puts a directory's files in place on its node",
  readme: 'what to copy where',
} as const;

export type FileRole = keyof typeof FILE_ROLES;

/** What manifest.json records of a certificate. */
export interface ManifestCertificate {
  readonly commonName: string;
  /** DNS names, then IP addresses, as certinfo lists them. */
  readonly sans: readonly string[];
  /** RFC 3339, UTC. */
  readonly notAfter: string;
  /** SHA-256 of the DER, as `openssl x509 -noout -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
}

/** One file of the bundle. */
export interface ManifestFile {
  readonly path: string;
  readonly role: FileRole;
  /** The member or client whose directory holds it; null for the CA and bundle-wide files. */
  readonly owner: string | null;
  /** Octal, e.g. "0600". */
  readonly mode: string;
  /** SHA-256 of the file's bytes (`sha256sum`). */
  readonly sha256: string;
  readonly certificate?: ManifestCertificate;
}

/** OUT/manifest.json. */
export interface BundleManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The description the bundle was made from, every default written out. */
  readonly cluster: ClusterJson;
  /** Every file but manifest.json itself, in the bundle's order. */
  readonly files: readonly ManifestFile[];
}

/** A planned file with what the manifest says about it. */
export interface BundleEntry {
  readonly file: PlannedFile;
  readonly role: FileRole;
  readonly owner: string | null;
  readonly certificate?: {
    readonly der: Uint8Array;
    readonly commonName: string;
    readonly sans: readonly string[];
    readonly notAfter: Date;
  };
}

/** The manifest of `entries`: hashes and fingerprints computed with the crypto seam. */
export async function buildManifest(
  cluster: ClusterDescription,
  entries: readonly BundleEntry[],
  crypto: PkiCrypto,
): Promise<BundleManifest> {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  // All digests asked for at once, then the entries built in one pass: 13,000 files at 1,000
  // members, where an async function per entry cost more than its hash.
  const [digests, fingerprints] = await Promise.all([
    Promise.all(entries.map(({ file }) => crypto.sha256(typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents))),
    Promise.all(entries.map(({ certificate }) => (certificate ? crypto.sha256(certificate.der) : undefined))),
  ]);
  const files = entries.map(({ file, role, owner, certificate }, index): ManifestFile => ({
    path: file.path,
    role,
    owner,
    mode: `0${file.mode.toString(8)}`,
    sha256: hex(digests[index]!),
    ...(certificate
      ? {
          certificate: {
            commonName: certificate.commonName,
            sans: certificate.sans,
            notAfter: rfc3339(certificate.notAfter),
            fingerprint: colonHex(fingerprints[index]!),
          },
        }
      : {}),
  }));
  return { format: MANIFEST_FORMAT, cluster: cluster.json, files };
}

/** manifest.json as written: two-space JSON and a final newline. */
export function renderManifest(manifest: BundleManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

/**
 * Reads a bundle's manifest.json and the cluster description in it (schema and rules checked, as
 * for cluster.json; paths in errors start with `/cluster`).
 * @throws PkiError INVALID_JSON, INVALID_CLUSTER naming manifest.json.
 */
export function readManifest(
  bytes: Uint8Array,
  file: string = BUNDLE_FILES.manifest,
): { manifest: BundleManifest; cluster: ClusterDescription } {
  const json = parseJsonStrict(Buffer.from(bytes).toString('utf8'), file) as Partial<BundleManifest> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || json.format !== MANIFEST_FORMAT) {
    throw new PkiError('INVALID_JSON', `not an etcd-pki bundle manifest (expected "format": ${JSON.stringify(MANIFEST_FORMAT)})`, {
      file,
      path: '/format',
      hint: 'point at the directory cluster-bundle wrote',
    });
  }
  if (!Array.isArray(json.files)) {
    throw new PkiError('INVALID_JSON', 'the manifest has no "files" list', {
      file,
      path: '/files',
      hint: 'run cluster-bundle again to rewrite it',
    });
  }
  try {
    return { manifest: json as BundleManifest, cluster: validateClusterDescription(json.cluster, file) };
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    throw new PkiError(error.code, error.message, { file, path: `/cluster${error.path ?? ''}`, hint: error.hint, cause: error });
  }
}
