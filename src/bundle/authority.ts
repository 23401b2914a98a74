import type { PkiCrypto } from '../crypto.js';
import { normaliseCertificateRequest } from '../csr/load.js';
import { PkiError } from '../errors.js';
import { loadCertificateAuthority, type CertificateAuthority } from '../signing/authority.js';
import { initCA } from '../signing/operations.js';
import { readPrivateKey } from '../keys/read.js';
import { parseCertificate } from '../x509/parse.js';
import { CLUSTER_DEFAULTS } from './defaults.js';
import { BUNDLE_FILES } from './layout.js';
import type { ClusterDescription } from './types.js';

/** Where the bundle's CA came from on this run. */
export type AuthorityStatus = 'new' | 'kept' | 'external';

/** The CA a bundle issues from, and what goes into OUT/ca/. */
export interface BundleAuthority {
  readonly authority: CertificateAuthority;
  readonly status: AuthorityStatus;
  /** OUT/ca/ca.pem: kept byte for byte when it existed. */
  readonly certificate: string | Uint8Array;
  /** OUT/ca/ca-key.pem, when the bundle holds the CA key (never an external CA's key). */
  readonly key?: string | Uint8Array;
}

export interface ResolveAuthorityOptions {
  readonly cluster: ClusterDescription;
  /** An existing CA (cfssl's or etcd-pki's) to issue from instead of the bundle's own. */
  readonly ca?: CertificateAuthority | undefined;
  readonly existing: ReadonlyMap<string, Uint8Array>;
  readonly now: Date;
  readonly crypto: PkiCrypto;
}

/** The peer CA's common name: the bundle CA's, marked as the peers'. */
export function peerCaCommonName(cluster: ClusterDescription): string {
  return `${cluster.caCommonName} (peers)`;
}

/**
 * The peer CA of a bundle with separate trust: the one in OUT/ca/peer-ca.pem from an earlier run,
 * else a new root CA (subject names, key and validity as the bundle's CA, common name
 * peerCaCommonName), also for a bundle issued from an external CA: the peer CA is the bundle's own.
 * @throws PkiError INVALID_CLUSTER for a peer CA certificate without its key; KEY_MISMATCH and parse errors naming the file.
 */
export async function resolvePeerAuthority(options: Omit<ResolveAuthorityOptions, 'ca'>): Promise<BundleAuthority> {
  const { existing, cluster } = options;
  const certificate = existing.get(BUNDLE_FILES.peerCaCertificate);
  const key = existing.get(BUNDLE_FILES.peerCaKey);
  if (certificate !== undefined) {
    if (key === undefined) {
      throw new PkiError('INVALID_CLUSTER', `the bundle has a peer CA certificate but not its key (${BUNDLE_FILES.peerCaKey})`, {
        file: BUNDLE_FILES.peerCaCertificate,
        hint: `put ${BUNDLE_FILES.peerCaKey} back from your backup; without it no peer certificate can be issued or revoked`,
      });
    }
    const authority = loadCertificateAuthority({
      certificate,
      key,
      certificateFile: BUNDLE_FILES.peerCaCertificate,
      keyFile: BUNDLE_FILES.peerCaKey,
    });
    return { authority, status: 'kept', certificate, key };
  }
  const request = normaliseCertificateRequest(
    {
      CN: peerCaCommonName(cluster),
      names: [...cluster.names],
      key: { ...(cluster.json.key ?? CLUSTER_DEFAULTS.key) },
      ...(cluster.json.expiry?.ca !== undefined ? { ca: { expiry: cluster.json.expiry.ca } } : {}),
    },
    cluster.file,
  );
  const keyPair = key !== undefined ? readPrivateKey(key, BUNDLE_FILES.peerCaKey) : undefined;
  const made = await initCA({ request, ...(keyPair ? { key: keyPair } : {}), now: options.now, crypto: options.crypto });
  return { authority: made.authority, status: 'new', certificate: made.cert, key: key ?? made.key ?? '' };
}

/**
 * The bundle's CA: the external one when given (its key is not copied into the bundle), else the
 * one in OUT/ca/ from an earlier run, else a new root CA (for the key in OUT/ca/ when only the key
 * is there) from the description (`ca.CN`, `names`,
 * `key`, `expiry.ca`).
 * @throws PkiError INVALID_CLUSTER when OUT/ca/ holds another CA than the one given, or holds a
 *   certificate without its key and no CA is given; KEY_MISMATCH and parse errors naming the file.
 */
export async function resolveBundleAuthority(options: ResolveAuthorityOptions): Promise<BundleAuthority> {
  const { existing } = options;
  const certificate = existing.get(BUNDLE_FILES.caCertificate);
  const key = existing.get(BUNDLE_FILES.caKey);
  if (options.ca) {
    const given = options.ca.certificate;
    if (certificate !== undefined) {
      const kept = parseCertificate(certificate, BUNDLE_FILES.caCertificate);
      if (!Buffer.from(kept.der).equals(Buffer.from(given.der))) {
        throw new PkiError('INVALID_CLUSTER', `${BUNDLE_FILES.caCertificate} holds another CA than the one given with -ca`, {
          file: BUNDLE_FILES.caCertificate,
          hint: 'use a new output directory, or pass the CA this bundle was made with',
        });
      }
    }
    return {
      authority: options.ca,
      status: 'external',
      certificate: certificate ?? given.pem,
      ...(key !== undefined ? { key } : {}),
    };
  }
  if (certificate !== undefined) {
    if (key === undefined) {
      throw new PkiError('INVALID_CLUSTER', `the bundle has a CA certificate but not its key (${BUNDLE_FILES.caKey})`, {
        file: BUNDLE_FILES.caCertificate,
        hint: 'it was made with an existing CA: pass -ca and -ca-key again',
      });
    }
    const authority = loadCertificateAuthority({
      certificate,
      key,
      certificateFile: BUNDLE_FILES.caCertificate,
      keyFile: BUNDLE_FILES.caKey,
    });
    return { authority, status: 'kept', certificate, key };
  }
  const { cluster } = options;
  const request = normaliseCertificateRequest(
    {
      CN: cluster.caCommonName,
      names: [...cluster.names],
      key: { ...(cluster.json.key ?? CLUSTER_DEFAULTS.key) },
      ...(cluster.json.expiry?.ca !== undefined ? { ca: { expiry: cluster.json.expiry.ca } } : {}),
    },
    cluster.file,
  );
  if (key !== undefined) {
    // A CA key without its certificate: an earlier run was killed between the two renames (keys
    // are put in place first). Certify the key that is there rather than refuse or replace it.
    const keyPair = readPrivateKey(key, BUNDLE_FILES.caKey);
    const made = await initCA({ request, key: keyPair, now: options.now, crypto: options.crypto });
    return { authority: made.authority, status: 'new', certificate: made.cert, key };
  }
  const made = await initCA({ request, now: options.now, crypto: options.crypto });
  // initCA returns the key it generated whenever it was not given one.
  return { authority: made.authority, status: 'new', certificate: made.cert, key: made.key ?? '' };
}
