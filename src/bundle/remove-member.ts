import { PkiError } from '../errors.js';
import type { PkiCrypto } from '../crypto.js';
import type { FileSet, PlannedFile } from '../fileset.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { didYouMean } from '../suggest.js';
import { parseCertificate } from '../x509/parse.js';
import { serialToDecimal } from '../x509/serial.js';
import { BUNDLE_FILES, bundlePath, memberFileNames } from './layout.js';
import { normaliseClusterDescription } from './load.js';
import { readManifest } from './manifest.js';
import { planClusterBundle, type ClusterBundle } from './plan.js';
import type { ClusterDescription, Member } from './types.js';

export interface RemoveMemberOptions {
  /** The bundle's files by relative path (at least manifest.json and every .pem), as cluster-bundle wrote them. */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** The member to take out. */
  readonly member: string;
  /** The CA, when the bundle was made with an existing one and holds no CA key. */
  readonly ca?: CertificateAuthority | undefined;
  readonly now?: Date;
  readonly crypto?: PkiCrypto;
}

/** A member's removal, planned. */
export interface RemoveMemberResult extends FileSet {
  /** Changed files only: the CRLs everywhere, the other members' configuration, the clients' env files, manifest.json, README.txt. */
  readonly files: readonly PlannedFile[];
  /** The member's directory in the bundle, to delete once the files are written. */
  readonly removedDirectory: string;
  readonly member: Member;
  /** The description without it. */
  readonly cluster: ClusterDescription;
  /** Its server and peer certificates' serials (decimal), now on the CRLs. */
  readonly revoked: readonly { readonly what: string; readonly serial: string }[];
  readonly bundlePlan: ClusterBundle;
}

/**
 * Takes a member out of a bundle: its server and peer certificates go on the CRLs (signed anew),
 * and the bundle is planned again without it: the other members' ETCD_INITIAL_CLUSTER, every
 * client's ETCDCTL_ENDPOINTS, the manifest and README no longer name it. Its directory is to be
 * deleted (`removedDirectory`). Replacing a failed member is this, then add-member under the same
 * name at its new address: it gets new keys, since its old certificates are revoked.
 * @throws PkiError USAGE for an unknown member (did-you-mean) or the last one; INVALID_CLUSTER for
 *   a bundle mid-rotation, a certificate already revoked; IO for its missing certificates.
 */
export async function planRemoveMember(options: RemoveMemberOptions): Promise<RemoveMemberResult> {
  const manifestBytes = options.bundle.get(BUNDLE_FILES.manifest);
  if (manifestBytes === undefined) {
    throw new PkiError('INVALID_CLUSTER', `the bundle has no ${BUNDLE_FILES.manifest}`, {
      hint: 'point -out at a directory made by cluster-bundle',
    });
  }
  const previous = readManifest(manifestBytes).cluster;
  const member = previous.members.find((m) => m.name === options.member);
  if (member === undefined) {
    throw new PkiError('USAGE', `the bundle has no member ${JSON.stringify(options.member)}`, {
      hint: didYouMean(
        options.member,
        previous.members.map((m) => m.name),
      ),
    });
  }
  if (previous.members.length === 1) {
    throw new PkiError('USAGE', `${member.name} is the bundle's only member`, {
      hint: 'a cluster needs a member: add its successor first (add-member), then remove it',
    });
  }
  const cluster = normaliseClusterDescription({ ...previous.json, members: previous.json.members.filter((m) => m.name !== member.name) });
  const files = memberFileNames(member.name);
  const serialOf = (name: string) => {
    const path = bundlePath(member.name, name);
    const bytes = options.bundle.get(path);
    if (bytes === undefined) {
      throw new PkiError('IO', `${path} is missing, so its serial number is unknown and it cannot be revoked`, {
        file: path,
        hint: 'restore it from a backup, or revoke it with gencrl from its serial and take the member out of cluster.json by hand',
      });
    }
    return parseCertificate(bytes, path).serial;
  };
  const server = serialOf(files.serverCertificate);
  const peer = serialOf(files.peerCertificate);
  // A shared server certificate goes too: the removed node holds its key. The other members get a
  // new one (new key), to install before the CRLs.
  const bundlePlan = await planClusterBundle({
    cluster,
    existing: options.bundle,
    ca: options.ca,
    revoke: {
      client: [{ serial: server, reason: 'cessationOfOperation', what: `server ${member.name}` }],
      peer: [{ serial: peer, reason: 'cessationOfOperation', what: `peer ${member.name}` }],
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.crypto ? { crypto: options.crypto } : {}),
  });
  const changed = bundlePlan.files.filter((file) => !sameBytes(options.bundle.get(file.path), file.contents));
  return {
    files: changed,
    removedDirectory: member.name,
    member,
    cluster,
    revoked: [
      { what: `server ${member.name}`, serial: serialToDecimal(server) },
      { what: `peer ${member.name}`, serial: serialToDecimal(peer) },
    ],
    bundlePlan,
  };
}

function sameBytes(existing: Uint8Array | undefined, contents: string | Uint8Array): boolean {
  if (existing === undefined) return false;
  return Buffer.from(existing).equals(typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents));
}
