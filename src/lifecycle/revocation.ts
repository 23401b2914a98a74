import { PkiError } from '../errors.js';
import type { PkiCrypto } from '../crypto.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { didYouMean } from '../suggest.js';
import type { RevocationReason } from '../x509/crl.js';
import { parseCertificate } from '../x509/parse.js';
import { serialToDecimal } from '../x509/serial.js';
import type { Revocation } from '../bundle/crls.js';
import { BUNDLE_FILES, bundlePath, clientFileNames, memberFileNames } from '../bundle/layout.js';
import { readManifest } from '../bundle/manifest.js';
import { planClusterBundle, type ClusterBundle } from '../bundle/plan.js';
import type { ClusterDescription } from '../bundle/types.js';
import { copyStep, type LifecycleStep } from './steps.js';

export interface PlanRevocationOptions {
  /** The bundle's files by relative path, as cluster-bundle wrote them. */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** Clients whose certificate is revoked. Default none. */
  readonly clients?: readonly string[];
  /** Members whose server and peer certificates are revoked. Default none. */
  readonly members?: readonly string[];
  /** Written in each entry (RFC 5280 5.3.1); default none (unspecified). */
  readonly reason?: RevocationReason | undefined;
  /** Sign both CRLs again, with nothing added (`-refresh`). Default false. */
  readonly refresh?: boolean;
  /** The issuing CA, when the bundle holds no CA key (made with -ca). */
  readonly ca?: CertificateAuthority | undefined;
  /** The description to plan from instead of the manifest's (remove-member's, without the member). */
  readonly cluster?: ClusterDescription;
  readonly now?: Date;
  readonly crypto?: PkiCrypto;
}

/** One certificate revoked. */
export interface RevokedCertificate {
  readonly what: string;
  readonly path: string;
  /** Decimal, as cfssl certinfo and etcd's log print it in hex: both are given. */
  readonly serial: string;
  readonly serialHex: string;
  readonly crl: string;
}

/** A revocation, planned: the whole bundle re-planned with the CRLs extended, and what to do. */
export interface RevocationPlan {
  readonly bundle: ClusterBundle;
  readonly revoked: readonly RevokedCertificate[];
  readonly steps: readonly LifecycleStep[];
}

/**
 * Revokes clients' and members' certificates: their serials go on the CRL of the CA that issued
 * them (client-crl.pem for server and client certificates, peer-crl.pem for peer certificates; the
 * one CRL for both with trust `single`), signed anew, and each revoked credential gets a new key
 * and certificate, since a revoked certificate is never kept (plan.ts). Pure: returns the bundle
 * as cluster-bundle would write it, and the steps, in an order that never refuses a member or
 * client that holds its new certificate: new credentials first, then the CRLs on every member,
 * which etcd reads at its next connection, with no restart.
 * @throws PkiError USAGE for an unknown or repeated name or nothing to do; INVALID_CLUSTER for a
 *   certificate already revoked or a rotation in progress; what planClusterBundle throws.
 */
export async function planRevocation(options: PlanRevocationOptions): Promise<RevocationPlan> {
  const { bundle } = options;
  const manifestBytes = bundle.get(BUNDLE_FILES.manifest);
  if (manifestBytes === undefined) {
    throw new PkiError('IO', 'there is no bundle here (no manifest.json)', { hint: 'point -out at the directory cluster-bundle wrote' });
  }
  const described = readManifest(manifestBytes).cluster;
  const manifestCluster = described;
  const cluster = options.cluster ?? described;
  const clients = options.clients ?? [];
  const members = options.members ?? [];
  if (clients.length === 0 && members.length === 0 && !options.refresh) {
    throw new PkiError('USAGE', 'nothing to revoke', {
      hint: 'name what to revoke with -client NAME or -member NAME, or sign the CRLs again with -refresh',
    });
  }
  assertKnown(
    '-client',
    clients,
    manifestCluster.clients.map((c) => c.name),
  );
  assertKnown(
    '-member',
    members,
    manifestCluster.members.map((m) => m.name),
  );

  const revocation = (what: string, path: string, crl: string): Revocation & { path: string; crl: string } => {
    const bytes = bundle.get(path);
    if (bytes === undefined) {
      throw new PkiError('IO', `${path} is missing, so its serial number is unknown`, {
        file: path,
        hint: 'run cluster-bundle over the bundle first, or revoke the lost certificate with gencrl from its serial',
      });
    }
    return { serial: parseCertificate(bytes, path).serial, reason: options.reason, what, path, crl };
  };
  const trust = manifestCluster.json.trust ?? (bundle.has(BUNDLE_FILES.peerCaCertificate) ? 'separate' : 'single');
  const peerCrl = trust === 'separate' ? BUNDLE_FILES.peerCrl : BUNDLE_FILES.clientCrl;
  const client = clients.map((name) =>
    revocation(`client ${name}`, bundlePath(name, clientFileNames(name).certificate), BUNDLE_FILES.clientCrl),
  );
  const peer: (Revocation & { path: string; crl: string })[] = [];
  const seenServer = new Set<string>();
  for (const name of members) {
    const files = memberFileNames(name);
    const server = revocation(`server ${name}`, bundlePath(name, files.serverCertificate), BUNDLE_FILES.clientCrl);
    // The shared server certificate is one serial: revoked once, re-issued to every member.
    const key = Buffer.from(server.serial).toString('hex');
    if (!seenServer.has(key)) client.push(server);
    seenServer.add(key);
    peer.push(revocation(`peer ${name}`, bundlePath(name, files.peerCertificate), peerCrl));
  }

  const plan = await planClusterBundle({
    cluster,
    existing: bundle,
    ca: options.ca,
    revoke: { client, peer },
    refreshCrls: options.refresh ?? false,
    ...(options.now ? { now: options.now } : {}),
    ...(options.crypto ? { crypto: options.crypto } : {}),
  });

  const revoked = [...client, ...peer].map((r) => ({
    what: r.what,
    path: r.path,
    serial: serialToDecimal(r.serial),
    serialHex: Buffer.from(r.serial).toString('hex'),
    crl: r.crl,
  }));
  return { bundle: plan, revoked, steps: revocationSteps(cluster, plan, clients, members) };
}

function assertKnown(flag: string, names: readonly string[], known: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new PkiError('USAGE', `${flag} ${name} is given twice`, { hint: 'name each once' });
    seen.add(name);
    if (!known.includes(name)) {
      throw new PkiError('USAGE', `the bundle has no ${flag.slice(1)} ${JSON.stringify(name)}`, { hint: didYouMean(name, known) });
    }
  }
}

/** The new credentials to their nodes first, then every member's CRLs. */
function revocationSteps(
  cluster: ClusterDescription,
  plan: ClusterBundle,
  clients: readonly string[],
  members: readonly string[],
): LifecycleStep[] {
  const steps: LifecycleStep[] = [];
  const isKey = (path: string) => path.endsWith('-key.pem');
  for (const name of clients.filter((c) => cluster.clients.some((x) => x.name === c))) {
    const files = clientFileNames(name);
    steps.push(copyStep(cluster, name, [bundlePath(name, files.key), bundlePath(name, files.certificate)], isKey));
  }
  for (const name of members.filter((m) => cluster.members.some((x) => x.name === m))) {
    const files = memberFileNames(name);
    const paths = [files.serverKey, files.peerKey, files.serverCertificate, files.peerCertificate].map((f) => bundlePath(name, f));
    steps.push(copyStep(cluster, name, paths, isKey));
  }
  if (plan.certificates.some((c) => c.role === 'server' && c.owners.length > 1 && c.status !== 'kept')) {
    steps.push({ kind: 'note', text: 'the shared server certificate was re-issued: copy it and its key to every member before the CRLs' });
  }
  for (const member of cluster.members) {
    const files = memberFileNames(member.name);
    steps.push(
      copyStep(cluster, member.name, [bundlePath(member.name, files.clientCrl), bundlePath(member.name, files.peerCrl)], () => false),
    );
  }
  steps.push({
    kind: 'no-restart',
    reason:
      'etcd reads its CRL files at every new connection (3.4, measured): a revoked certificate is refused from its next connection on; connections already open stay until they close',
  });
  return steps;
}
