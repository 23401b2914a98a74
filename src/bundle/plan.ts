import { assertNoRotationInProgress } from './rotation-state.js';
import { defaultPkiCrypto, type PkiCrypto } from '../crypto.js';
import { PUBLIC_FILE_MODE, SCRIPT_FILE_MODE, SECRET_FILE_MODE, type FileSet, type PlannedFile } from '../fileset.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { subjectNameOf } from '../x509/name.js';
import { rfc3339 } from '../x509/time.js';
import { resolveBundleAuthority, resolvePeerAuthority, type AuthorityStatus } from './authority.js';
import { planBundleCrls, withoutRevoked, type CrlStatus, type Revocation } from './crls.js';
import { assertTrustTransition, bundleTrust } from './trust.js';
import { DEFAULT_CONCURRENCY, mapConcurrent } from './concurrency.js';
import { provideCredential, type CredentialStatus } from './credentials.js';
import { BUNDLE_FILES, bundlePath, clientFileNames, expandTemplate, memberFileNames, nodePath } from './layout.js';
import { buildManifest, readManifest, renderManifest, type BundleEntry, type BundleManifest, type FileRole } from './manifest.js';
import { createRenderMemo } from './render/memo.js';
import { renderEtcdConf } from './render/etcd-conf.js';
import { renderEtcdYaml } from './render/etcd-yaml.js';
import { renderEtcdctlEnv } from './render/etcdctl-env.js';
import { renderInstallScript } from './render/install-sh.js';
import { renderReadme } from './render/readme.js';
import { credentialRequests } from './requests.js';
import { memberSettings } from './settings.js';
import type { CertificateRole, ClusterDescription, Member, TrustLayout } from './types.js';
import { clientEndpoints, initialClusters } from './urls.js';

export interface PlanClusterBundleOptions {
  readonly cluster: ClusterDescription;
  /** An existing CA to issue from (cfssl's or etcd-pki's); its key is not copied into the bundle. Default: the bundle's own, made on the first run. */
  readonly ca?: CertificateAuthority | undefined;
  /** The bundle's files from an earlier run, by relative path (`ca/ca.pem`, `etcd1/etcd1-key.pem` ...). Default none. */
  readonly existing?: ReadonlyMap<string, Uint8Array>;
  /** Replace existing keys that are unreadable or of another algorithm than asked. Default false. */
  readonly force?: boolean;
  /** Issuance time; default now. */
  readonly now?: Date;
  /** The crypto seam; default one made on first use. */
  readonly crypto?: PkiCrypto;
  /** Certificates issued at once; default 64. */
  readonly concurrency?: number;
  /** Called after each certificate is issued or kept. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Certificates to add to the client-port CRL (server and client certificates) and to the
   * peer-port CRL (peer certificates) on this run (revoke, remove-member). Default none.
   */
  readonly revoke?: { readonly client?: readonly Revocation[]; readonly peer?: readonly Revocation[] };
  /** Sign both CRLs again even when fresh. Default false. */
  readonly refreshCrls?: boolean;
}

/** What happened to one certificate. */
export interface CertificateOutcome {
  /** Its path in the bundle (the first, for the shared server certificate). */
  readonly path: string;
  readonly role: CertificateRole;
  readonly owners: readonly string[];
  readonly status: CredentialStatus;
  readonly reason?: string;
}

/** A cluster's bundle, planned: the files to write, and what this run did. */
export interface ClusterBundle extends FileSet {
  readonly authority: AuthorityStatus;
  readonly trust: TrustLayout;
  /** The peer CA's status; undefined with trust `single`. */
  readonly peerAuthority: AuthorityStatus | undefined;
  readonly crls: { readonly client: CrlStatus; readonly peer: CrlStatus };
  readonly certificates: readonly CertificateOutcome[];
  /** Things the operator should know: kept keys of another algorithm, directories left from removed members. */
  readonly warnings: readonly string[];
  readonly manifest: BundleManifest;
}

/**
 * Plans a cluster's bundle (the documented layout: ca/, one directory per member and per client,
 * manifest.json, README.txt) from its description. Pure: reads only `existing`, writes nothing.
 * Over an earlier run's files it keeps the CA and every key, keeps certificates that still fit and
 * issues only what is missing or stale; configuration is always rendered afresh.
 * Certificates are issued `concurrency` at a time.
 * @throws PkiError from the CA (another CA than -ca, a missing CA key), from unreadable keys (unless
 *   `force`), and INVALID_CLUSTER from the description.
 */
export async function planClusterBundle(options: PlanClusterBundleOptions): Promise<ClusterBundle> {
  const { cluster } = options;
  const existing = options.existing ?? new Map<string, Uint8Array>();
  // Mid-rotation the ca.pem files hold two CAs; writing the bundle's one CA would undo a phase.
  assertNoRotationInProgress(existing);
  const crypto = options.crypto ?? defaultPkiCrypto();
  const now = options.now ?? new Date();
  const trust = bundleTrust(cluster, existing);
  assertTrustTransition(trust, existing);
  const bundleCa = await resolveBundleAuthority({ cluster, ca: options.ca, existing, now, crypto });
  const peerCa = trust === 'single' ? undefined : await resolvePeerAuthority({ cluster, existing, now, crypto });
  // Peer certificates come from the peer CA only once every peer port trusts it (`separate`).
  const peerIssuer = trust === 'separate' ? peerCa!.authority : bundleCa.authority;

  const { client: clientCrl, peer: peerCrl } = await planBundleCrls({
    trust,
    clientCa: bundleCa.authority,
    peerCa: peerIssuer,
    existing,
    now,
    validity: cluster.expiry.crl,
    refresh: options.refreshCrls ?? false,
    revoke: options.revoke ?? {},
  });

  const requests = credentialRequests(cluster);
  const usable = withoutRevoked(existing, requests, clientCrl, peerCrl);
  let done = 0;
  const credentials = await mapConcurrent(requests, options.concurrency ?? DEFAULT_CONCURRENCY, async (request) => {
    const ca = request.role === 'peer' ? peerIssuer : bundleCa.authority;
    const credential = await provideCredential(request, { ca, existing: usable, now, crypto, force: options.force ?? false });
    options.onProgress?.(++done, requests.length);
    return credential;
  });

  const entries: BundleEntry[] = [];
  const add = (
    path: string,
    contents: string | Uint8Array,
    mode: number,
    role: FileRole,
    owner: string | null,
    certificate?: BundleEntry['certificate'],
  ) => {
    entries.push({
      file: { path, contents, mode, secret: mode === SECRET_FILE_MODE },
      role,
      owner,
      ...(certificate ? { certificate } : {}),
    });
  };
  const caCertificate = bundleCa.authority.certificate;
  add(BUNDLE_FILES.caCertificate, bundleCa.certificate, PUBLIC_FILE_MODE, 'ca-certificate', null, {
    der: caCertificate.der,
    commonName: subjectNameOf(caCertificate.subject).commonName ?? '',
    sans: [],
    notAfter: caCertificate.notAfter,
  });
  if (bundleCa.key !== undefined) add(BUNDLE_FILES.caKey, bundleCa.key, SECRET_FILE_MODE, 'ca-key', null);
  // What each member's peer-ca.pem holds: the peer CA, and while migrating the bundle CA too.
  let peerTrust: string | Uint8Array | undefined;
  if (peerCa) {
    const peerCertificate = peerCa.authority.certificate;
    add(BUNDLE_FILES.peerCaCertificate, peerCa.certificate, PUBLIC_FILE_MODE, 'peer-ca-certificate', null, {
      der: peerCertificate.der,
      commonName: subjectNameOf(peerCertificate.subject).commonName ?? '',
      sans: [],
      notAfter: peerCertificate.notAfter,
    });
    add(BUNDLE_FILES.peerCaKey, peerCa.key!, SECRET_FILE_MODE, 'peer-ca-key', null);
    peerTrust = trust === 'migrating' ? `${pemText(bundleCa.certificate)}${pemText(peerCa.certificate)}` : peerCa.certificate;
  }
  add(BUNDLE_FILES.clientCrl, clientCrl.pem, PUBLIC_FILE_MODE, 'crl', null);
  add(BUNDLE_FILES.peerCrl, peerCrl.pem, PUBLIC_FILE_MODE, 'crl', null);

  // Each owner's credentials, by role, at the index of the owner's paths.
  const byOwner = new Map<string, Partial<Record<CertificateRole, { index: number; at: number }>>>();
  requests.forEach((request, index) =>
    request.owners.forEach((owner, at) => {
      const roles = byOwner.get(owner) ?? {};
      roles[request.role] = { index, at };
      byOwner.set(owner, roles);
    }),
  );
  const credentialFiles = (owner: string, role: CertificateRole, certRole: FileRole, keyRole: FileRole) => {
    const slot = byOwner.get(owner)?.[role];
    if (!slot) return;
    const request = requests[slot.index]!;
    const credential = credentials[slot.index]!;
    add(request.certificatePaths[slot.at]!, credential.certificate, PUBLIC_FILE_MODE, certRole, owner, {
      der: credential.der,
      commonName: request.request.subject.commonName ?? '',
      sans: credential.sans,
      notAfter: credential.notAfter,
    });
    add(request.keyPaths[slot.at]!, credential.key, SECRET_FILE_MODE, keyRole, owner);
  };

  const clusters = initialClusters(cluster);
  const memo = createRenderMemo();
  for (const member of cluster.members) {
    const files = memberFileNames(member.name);
    const at = (name: string) => bundlePath(member.name, name);
    const pkiDir = expandTemplate(cluster.pkiDir, member.name);
    const settings = memberSettings(cluster, member, clusters.get(member.name)!, trust);
    const context = { member: member.name, token: cluster.token, pkiDir, memo };
    add(at(files.ca), bundleCa.certificate, PUBLIC_FILE_MODE, 'ca-certificate', member.name);
    if (peerTrust !== undefined) add(at(files.peerCa), peerTrust, PUBLIC_FILE_MODE, 'peer-ca-certificate', member.name);
    add(at(files.clientCrl), clientCrl.pem, PUBLIC_FILE_MODE, 'crl', member.name);
    add(at(files.peerCrl), peerCrl.pem, PUBLIC_FILE_MODE, 'crl', member.name);
    credentialFiles(member.name, 'server', 'server-certificate', 'server-key');
    credentialFiles(member.name, 'peer', 'peer-certificate', 'peer-key');
    add(at(files.etcdConf), utf8(renderEtcdConf(settings, context)), PUBLIC_FILE_MODE, 'etcd-conf', member.name);
    add(at(files.etcdYaml), utf8(renderEtcdYaml(settings, context)), PUBLIC_FILE_MODE, 'etcd-yaml', member.name);
    add(at(files.install), memberInstallScript(cluster, member, pkiDir, trust), SCRIPT_FILE_MODE, 'install-script', member.name);
  }
  const endpoints = clientEndpoints(cluster);
  for (const client of cluster.clients) {
    const files = clientFileNames(client.name);
    const at = (name: string) => bundlePath(client.name, name);
    const pkiDir = expandTemplate(cluster.pkiDir, client.name);
    const envFile = nodePath(pkiDir, files.env);
    credentialFiles(client.name, 'client', 'client-certificate', 'client-key');
    add(at(files.ca), bundleCa.certificate, PUBLIC_FILE_MODE, 'ca-certificate', client.name);
    const env = renderEtcdctlEnv({
      client: client.name,
      token: cluster.token,
      endpoints,
      caFile: nodePath(pkiDir, files.ca),
      certFile: nodePath(pkiDir, files.certificate),
      keyFile: nodePath(pkiDir, files.key),
      envFile,
      memo,
    });
    add(at(files.env), utf8(env), PUBLIC_FILE_MODE, 'etcdctl-env', client.name);
    add(at(files.install), clientInstallScript(cluster, client.name, pkiDir, envFile), SCRIPT_FILE_MODE, 'install-script', client.name);
  }
  add(BUNDLE_FILES.readme, renderReadme({ cluster, caKeyInBundle: bundleCa.key !== undefined }), PUBLIC_FILE_MODE, 'readme', null);

  // The manifest records the layout in effect, so that later commands need not guess it.
  const manifest = await buildManifest({ ...cluster, json: { ...cluster.json, trust } }, entries, crypto);
  const files: PlannedFile[] = entries.map((entry) => entry.file);
  files.push({ path: BUNDLE_FILES.manifest, contents: renderManifest(manifest), mode: PUBLIC_FILE_MODE, secret: false });

  const warnings = [
    ...[clientCrl, ...(peerCrl === clientCrl ? [] : [peerCrl])].flatMap((c) => (c.warning ? [c.warning] : [])),
    ...credentials.flatMap((c) => (c.warning ? [c.warning] : [])),
    ...outlivingWarnings(
      caCertificate.notAfter,
      requests.map((r, i) => ({ path: r.certificatePaths[0]!, credential: credentials[i]! })),
    ),
    ...leftoverWarnings(cluster, existing),
  ];
  const certificates = requests.map((request, index): CertificateOutcome => {
    const credential = credentials[index]!;
    return {
      path: request.certificatePaths[0]!,
      role: request.role,
      owners: request.owners,
      status: credential.status,
      ...(credential.reason ? { reason: credential.reason } : {}),
    };
  });
  return {
    files,
    authority: bundleCa.status,
    trust,
    peerAuthority: peerCa?.status,
    crls: { client: clientCrl.status, peer: peerCrl.status },
    certificates,
    warnings,
    manifest,
  };
}

const pemText = (pem: string | Uint8Array) => (typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8'));

// The files that grow with the cluster: each member's etcd.conf and etcd.yaml hold
// ETCD_INITIAL_CLUSTER, each client's env file ETCDCTL_ENDPOINTS, with every member (20-30 KB each
// at 1,000 members). Kept as bytes outside the JavaScript heap from the start, the rendered string
// dies young, and the manifest hashes and io/ writes the bytes without another copy: a third less
// peak memory for 1,000 members and 1,000 clients. In shared memory, so that io/ hands them to its
// writer thread (io/worker-writes.ts) without copying 60 MB.
function utf8(text: string): Uint8Array {
  const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(text, 'utf8')));
  bytes.write(text, 'utf8');
  return bytes;
}

function clientInstallScript(cluster: ClusterDescription, client: string, pkiDir: string, envFile: string): string {
  const files = clientFileNames(client);
  return renderInstallScript({
    kind: 'client',
    name: client,
    token: cluster.token,
    pkiDir,
    owner: cluster.owner,
    files: [
      { name: files.ca, mode: PUBLIC_FILE_MODE },
      { name: files.certificate, mode: PUBLIC_FILE_MODE },
      { name: files.key, mode: SECRET_FILE_MODE },
      { name: files.env, mode: PUBLIC_FILE_MODE },
    ],
    configs: [],
    next: `set -a; . ${envFile}; set +a; etcdctl endpoint health --cluster`,
  });
}

function memberInstallScript(cluster: ClusterDescription, member: Member, pkiDir: string, trust: TrustLayout): string {
  const files = memberFileNames(member.name);
  return renderInstallScript({
    kind: 'member',
    name: member.name,
    token: cluster.token,
    pkiDir,
    owner: cluster.owner,
    // The CRLs before the configuration naming them: etcd refuses every connection while a CRL
    // file it was given is missing (3.4, measured).
    files: [
      { name: files.ca, mode: PUBLIC_FILE_MODE },
      ...(trust === 'single' ? [] : [{ name: files.peerCa, mode: PUBLIC_FILE_MODE }]),
      { name: files.clientCrl, mode: PUBLIC_FILE_MODE },
      { name: files.peerCrl, mode: PUBLIC_FILE_MODE },
      { name: files.serverCertificate, mode: PUBLIC_FILE_MODE },
      { name: files.serverKey, mode: SECRET_FILE_MODE },
      { name: files.peerCertificate, mode: PUBLIC_FILE_MODE },
      { name: files.peerKey, mode: SECRET_FILE_MODE },
    ],
    configs: [
      { name: files.etcdConf, variable: 'ETCD_CONF', destination: '/etc/etcd/etcd.conf', description: 'Debian: /etc/default/etcd' },
      { name: files.etcdYaml, variable: 'ETCD_YAML', destination: '/etc/etcd/etcd.yaml', description: 'for etcd --config-file' },
    ],
    next:
      member.initialClusterState === 'existing'
        ? 'once the etcdctl member add command that add-member printed has run: systemctl start etcd; then etcdctl endpoint health --cluster'
        : 'systemctl start etcd. Start every founding member (ETCD_INITIAL_CLUSTER): each waits for the others, so start them within a few minutes of each other; then etcdctl endpoint health --cluster',
  });
}

/**
 * Certificates issued on this run that end after their CA (an expiry longer than the CA's
 * remaining life): cfssl issues them silently; they stop verifying when the CA expires. One line
 * per end date, as renew says it.
 */
function outlivingWarnings(
  caNotAfter: Date,
  issued: readonly { path: string; credential: { status: CredentialStatus; notAfter: Date } }[],
): string[] {
  const byEnd = new Map<number, string[]>();
  for (const { path, credential } of issued) {
    if (credential.status === 'kept' || credential.notAfter.getTime() <= caNotAfter.getTime()) continue;
    byEnd.set(credential.notAfter.getTime(), [...(byEnd.get(credential.notAfter.getTime()) ?? []), path]);
  }
  return [...byEnd].map(([end, paths]) => {
    const shown = paths.length > 6 ? `${paths.slice(0, 6).join(', ')} and ${paths.length - 6} more` : paths.join(', ');
    return `${shown} ${paths.length === 1 ? 'is' : 'are'} valid until ${rfc3339(new Date(end))}, after its CA expires (${rfc3339(caNotAfter)}): ${paths.length === 1 ? 'it stops' : 'they stop'} working then; give a shorter expiry, or plan a CA rotation (etcd-pki rotate-ca)`;
  });
}

// Directories of members or clients the previous manifest listed and the description no longer does.
function leftoverWarnings(cluster: ClusterDescription, existing: ReadonlyMap<string, Uint8Array>): string[] {
  const bytes = existing.get(BUNDLE_FILES.manifest);
  if (bytes === undefined) return [];
  let previous: BundleManifest;
  try {
    previous = readManifest(bytes).manifest;
  } catch {
    return [`${BUNDLE_FILES.manifest} of the earlier run could not be read; it is rewritten`];
  }
  const current = new Set([...cluster.members, ...cluster.clients].map((x) => x.name));
  const gone = new Set(previous.files.flatMap((f) => (f.owner !== null && !current.has(f.owner) ? [f.owner] : [])));
  return [...gone].map((owner) => `${owner}/ is from a member or client no longer in the description; it was left as it is`);
}
