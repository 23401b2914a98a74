import { assertNoRotationInProgress } from './rotation-state.js';
import type { PkiCrypto } from '../crypto.js';
import { PkiError, jsonPointer } from '../errors.js';
import type { FileSet, PlannedFile } from '../fileset.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { BUNDLE_FILES } from './layout.js';
import { normaliseClusterDescription } from './load.js';
import { readManifest } from './manifest.js';
import { planClusterBundle, type ClusterBundle } from './plan.js';
import type { ClusterDescription, Member, MemberJson } from './types.js';
import { memberUrls } from './urls.js';

export interface AddMemberOptions {
  /**
   * The bundle's files by relative path, as cluster-bundle wrote them: manifest.json, ca/ and every
   * member's and client's directory. Files not given are treated as missing.
   */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** The new member: name and hosts (ports optional); it joins as `existing`. */
  readonly member: Omit<MemberJson, 'initialClusterState'>;
  /** The CA, when the bundle was made with an existing one and holds no CA key. Default the bundle's. */
  readonly ca?: CertificateAuthority | undefined;
  /** Issuance time; default now. */
  readonly now?: Date;
  /** The crypto seam; default one made on first use. */
  readonly crypto?: PkiCrypto;
  /** Called after each certificate is issued or kept. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The files add-member changes, and what to run. */
export interface AddMemberResult extends FileSet {
  /** New and changed files only: the new member's directory, the clients' env files, manifest.json, README.txt. */
  readonly files: readonly PlannedFile[];
  readonly member: Member;
  readonly cluster: ClusterDescription;
  /** `etcdctl member add NAME --peer-urls=URL`, as argv: run it (with a client's env) before starting the member. */
  readonly memberAddCommand: readonly string[];
  readonly warnings: readonly string[];
  /** The whole bundle after the change. */
  readonly bundlePlan: ClusterBundle;
}

/**
 * Adds a member to an existing bundle: reads the description from manifest.json, appends the
 * member with ETCD_INITIAL_CLUSTER_STATE="existing" (its ETCD_INITIAL_CLUSTER lists every member
 * up to it), issues its certificates from the bundle's CA and returns only what changed. The
 * other members' files stay as they are, unless their shared server certificate must name the
 * new member too (sharedServerCert), which is then re-issued for the same key.
 * @throws PkiError INVALID_CLUSTER for a bundle without manifest.json, a name or address already
 *   taken, and what planClusterBundle throws.
 */
export async function planAddMember(options: AddMemberOptions): Promise<AddMemberResult> {
  const manifestBytes = options.bundle.get(BUNDLE_FILES.manifest);
  if (manifestBytes === undefined) {
    throw new PkiError('INVALID_CLUSTER', `the bundle has no ${BUNDLE_FILES.manifest}`, {
      hint: 'point -out at a directory made by cluster-bundle',
    });
  }
  assertNoRotationInProgress(options.bundle);
  const previous = readManifest(manifestBytes).cluster;
  // The same add-member run again (after a kill, or to see its steps again): the member is in the
  // manifest as given; its files are completed and nothing else changes.
  const again = previous.json.members.findIndex((m) => m.initialClusterState === 'existing' && sameMember(m, options.member));
  const index = again >= 0 ? again : previous.members.length;
  const taken =
    again >= 0
      ? undefined
      : [...previous.members, ...previous.clients].find((x) => x.name.toLowerCase() === options.member.name.toLowerCase());
  if (taken !== undefined) {
    const kind = previous.members.includes(taken as Member) ? 'member' : 'client';
    throw new PkiError('INVALID_CLUSTER', `the bundle already has a ${kind} named ${JSON.stringify(taken.name)}`, {
      hint:
        kind === 'member'
          ? 'choose a new name; to repair an existing member, run cluster-bundle again over the bundle'
          : 'choose another name',
    });
  }
  const json = {
    ...previous.json,
    members:
      again >= 0 ? previous.json.members : [...previous.json.members, { ...options.member, initialClusterState: 'existing' as const }],
  };
  let cluster: ClusterDescription;
  try {
    cluster = normaliseClusterDescription(json);
  } catch (error) {
    throw error instanceof PkiError ? aboutNewMember(error, index) : error;
  }
  const bundlePlan = await planClusterBundle({
    cluster,
    existing: options.bundle,
    ca: options.ca,
    ...(options.now ? { now: options.now } : {}),
    ...(options.crypto ? { crypto: options.crypto } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const member = cluster.members[index]!;
  const files = bundlePlan.files.filter((file) => !sameBytes(options.bundle.get(file.path), file.contents));
  const warnings = [...bundlePlan.warnings];
  if (cluster.sharedServerCert && bundlePlan.certificates.some((c) => c.role === 'server' && c.status !== 'kept')) {
    warnings.push(
      'the shared server certificate was re-issued to name the new member: install it on every member with its install.sh (no restart: etcd reads it at every new TLS handshake)',
    );
  }
  return {
    files,
    member,
    cluster,
    memberAddCommand: ['etcdctl', 'member', 'add', member.name, `--peer-urls=${memberUrls(cluster, member).advertisePeer}`],
    warnings,
    bundlePlan,
  };
}

/** The member as add-member was given it: name, hosts and the ports it names. */
function sameMember(existing: AddMemberOptions['member'], given: AddMemberOptions['member']): boolean {
  const ports = (m: AddMemberOptions['member']) => [m.clientPort ?? 2379, m.peerPort ?? 2380].join();
  return existing.name === given.name && existing.hosts.join() === given.hosts.join() && ports(existing) === ports(given);
}

// Errors about the new member come from the command line, not from manifest.json.
function aboutNewMember(error: PkiError, index: number): PkiError {
  const prefix = jsonPointer('members', index);
  const path = error.path ?? '';
  if (path === prefix || path.startsWith(`${prefix}/`) || error.message.includes('member name')) {
    return new PkiError(error.code, error.message, { hint: error.hint, cause: error });
  }
  return new PkiError(error.code, error.message, { file: BUNDLE_FILES.manifest, path: `/cluster${path}`, hint: error.hint, cause: error });
}

function sameBytes(existing: Uint8Array | undefined, contents: string | Uint8Array): boolean {
  if (existing === undefined) return false;
  return Buffer.from(existing).equals(typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents));
}
