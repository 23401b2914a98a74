import { defaultPkiCrypto, type PkiCrypto } from '../crypto.js';
import { formatGoDuration, type Milliseconds } from '../duration.js';
import { PkiError } from '../errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, type FileSet, type PlannedFile } from '../fileset.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { closest } from '../suggest.js';
import { rfc3339 } from '../x509/time.js';
import { LOCALHOST_HOSTS } from '../bundle/defaults.js';
import { normaliseClusterDescription } from '../bundle/load.js';
import { credentialRequests } from '../bundle/requests.js';
import { roleProfiles } from '../bundle/roles.js';
import { canonicalIp } from '../bundle/rules.js';
import type { ClusterDescription, ClusterJson } from '../bundle/types.js';
import { ipToBytes } from '../x509/ip.js';
import { assertBundleCa, bundleAuthority, bundlePeerAuthority } from './authority.js';
import { ETCD_RELOAD } from './etcd-reload.js';
import { certificateFacts } from '../bundle/certificate-facts.js';
import {
  certificateGroups,
  keyPathOf,
  readBundleInventory,
  type BundleInventory,
  type CertificateGroup,
  type LifecycleRole,
} from './inventory.js';
import { updateManifest } from './manifest-update.js';
import { reissueCertificate } from './reissue.js';
import { OUT_PLACEHOLDER, copyStep, type LifecycleStep } from './steps.js';

/** Which certificates to renew: every member's and client's, or those of the members and clients named. */
export type RenewSelection =
  { readonly all: true } | { readonly all?: false; readonly members?: readonly string[]; readonly clients?: readonly string[] };

export interface PlanRenewalOptions {
  /** The bundle's files by relative path, as cluster-bundle wrote them. */
  readonly bundle: ReadonlyMap<string, Uint8Array>;
  /** A member's server and peer certificates are renewed together; a client's certificate alone. */
  readonly select: RenewSelection;
  /** Make new keys (same algorithm and size) instead of keeping the existing ones. Default false. */
  readonly rotateKey?: boolean;
  /** Validity of the new certificates. Default the bundle's expiry for each role (manifest.json `cluster.expiry`). */
  readonly expiry?: Milliseconds | undefined;
  /**
   * A member's new hosts, as cluster.json's `hosts` (and `-member NAME=HOSTS`) take them; only when
   * one member is selected. Its advertised address must stay among them; localhost, 127.0.0.1 and
   * ::1 are added as cluster-bundle adds them (unless the bundle was made without them). They are
   * recorded in manifest.json's description, so that a later cluster-bundle run over the bundle
   * keeps them. Default each certificate's own SANs.
   */
  readonly hosts?: readonly string[] | undefined;
  /** The issuing CA, when the bundle holds no CA key (made with -ca). Default the bundle's ca/. */
  readonly ca?: CertificateAuthority | undefined;
  /** Issuance time; default now. */
  readonly now?: Date;
  /** The crypto seam; default one made on first use. */
  readonly crypto?: PkiCrypto;
  /** Called after each certificate is issued. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One certificate renewed (with every copy of it, for a shared server certificate). */
export interface RenewedCertificate {
  readonly role: LifecycleRole;
  readonly owners: readonly string[];
  /** Every file holding it: one, or one per member for the shared server certificate. */
  readonly paths: readonly string[];
  readonly previousSerial: string;
  readonly serial: string;
  readonly previousNotAfter: Date;
  readonly notAfter: Date;
  readonly keyRotated: boolean;
}

/** A renewal, planned: the files to write (certificates, keys when rotated, manifest.json) and what to do with them. */
export interface RenewalPlan extends FileSet {
  readonly renewed: readonly RenewedCertificate[];
  readonly steps: readonly LifecycleStep[];
  readonly warnings: readonly string[];
}

/**
 * Plans the renewal of member and client certificates: each issued again from the bundle's CA
 * with the same subject, SANs and usages (see reissueCertificate), for the role's validity or
 * `expiry`, keeping its key unless `rotateKey`. Pure: reads `bundle`, returns files.
 * @throws PkiError USAGE for an unknown member or client (with did-you-mean) or `hosts` with
 *   several owners; INVALID_CLUSTER when the bundle has no CA key and no `ca` is given;
 *   KEY_MISMATCH when a key file does not match its certificate.
 */
export async function planRenewal(options: PlanRenewalOptions): Promise<RenewalPlan> {
  const inventory = readBundleInventory(options.bundle);
  const crypto = options.crypto ?? defaultPkiCrypto();
  const now = options.now ?? new Date();
  const ca = options.ca ? assertBundleCa(inventory, options.ca) : bundleAuthority(inventory);
  const peerCa = bundlePeerAuthority(inventory);
  const owners = selectedOwners(inventory, options.select);
  if (options.hosts !== undefined && owners.size !== 1) {
    throw new PkiError('USAGE', `-hosts names the hosts of one member, but ${owners.size} are selected`, {
      hint: 'renew that one member (-member NAME) with -hosts, and the others without',
    });
  }
  const rehosted = options.hosts !== undefined ? withMemberHosts(inventory, [...owners][0]!, options.hosts) : undefined;
  const groups = certificateGroups(inventory).filter((group) => group.owners.some((owner) => owners.has(owner)));
  const shared = groups.flatMap((group) => {
    const outsiders = group.owners.filter((owner) => !owners.has(owner));
    return outsiders.length > 0 ? [`${group.files[0]!.path} is shared with ${outsiders.join(', ')}: their copies are renewed too`] : [];
  });
  const { files, renewed, warnings } = await reissueGroups({
    inventory,
    groups,
    ca,
    peerCa,
    expiry: options.expiry,
    rotateKey: options.rotateKey ?? false,
    ...(rehosted ? { hostsOf: rehosted.hostsOf } : {}),
    now,
    crypto,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  warnings.unshift(...shared);
  files.push(updateManifest({ manifest: inventory.manifest, written: files, ...(rehosted ? { cluster: rehosted.json } : {}) }));
  return { files, renewed, steps: renewalSteps(inventory, files, options), warnings };
}

export interface ReissueGroupsOptions {
  readonly inventory: BundleInventory;
  readonly groups: readonly CertificateGroup[];
  readonly ca: CertificateAuthority;
  /** The bundle's peer CA (trust separate): a certificate it issued is renewed from it. Default none. */
  readonly peerCa?: CertificateAuthority | undefined;
  readonly expiry?: Milliseconds | undefined;
  readonly rotateKey: boolean;
  /** A group's new SANs (see withMemberHosts); by default, and where it answers undefined, the old ones. */
  readonly hostsOf?: (group: CertificateGroup) => readonly string[] | undefined;
  /** Issuing from another CA than the old certificates' is the point (rotate-ca phase 2): no warning. Default false. */
  readonly newIssuer?: boolean;
  readonly now: Date;
  readonly crypto: PkiCrypto;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Issues each group's certificate again (reissueCertificate) and plans every copy of it and, with
 * `rotateKey`, of its new key. Warns when a certificate changes issuer or outlives its CA.
 * @throws PkiError INVALID_CLUSTER when a certificate's key is missing from the bundle.
 */
export async function reissueGroups(
  options: ReissueGroupsOptions,
): Promise<{ files: PlannedFile[]; renewed: RenewedCertificate[]; warnings: string[] }> {
  const { inventory } = options;
  const profiles = roleProfiles(inventory.cluster);
  const warnings: string[] = [];
  const files: PlannedFile[] = [];
  const renewed: RenewedCertificate[] = [];
  let done = 0;
  for (const group of options.groups) {
    const first = group.files[0]!;
    const old = first.certificates[0]!;
    // Each certificate from the CA that issued it: the peer CA's stay the peer CA's, or the peer
    // ports, which trust only it, would refuse them.
    const peerCa = options.peerCa;
    const ca = peerCa && Buffer.from(old.issuer).equals(Buffer.from(peerCa.certificate.subject)) ? peerCa : options.ca;
    const keyPath = keyPathOf(first.path);
    const keyBytes = inventory.files.get(keyPath);
    if (keyBytes === undefined) {
      throw new PkiError('INVALID_CLUSTER', `the bundle has ${first.path} but not its key ${keyPath}`, {
        file: keyPath,
        hint: 'put the key back; a certificate cannot be renewed for a key that is not there',
      });
    }
    const reissued = await reissueCertificate({
      target: { path: first.path, certificate: old, key: { path: keyPath, bytes: keyBytes } },
      ca,
      profile: profiles[group.role as Exclude<LifecycleRole, 'ca'>],
      expiry: options.expiry,
      rotateKey: options.rotateKey,
      hosts: options.hostsOf?.(group),
      now: options.now,
      crypto: options.crypto,
    });
    options.onProgress?.(++done, options.groups.length);
    for (const file of group.files) {
      if (reissued.key !== undefined) {
        files.push({ path: keyPathOf(file.path), contents: reissued.key, mode: SECRET_FILE_MODE, secret: true });
      }
      files.push({ path: file.path, contents: reissued.certificate, mode: PUBLIC_FILE_MODE, secret: false });
    }
    const before = certificateFacts(old);
    const after = certificateFacts(reissued.parsed);
    if (!options.newIssuer && !Buffer.from(old.issuer).equals(Buffer.from(ca.certificate.subject))) {
      warnings.push(`${first.path} was issued by "${before.issuerCommonName}"; its renewal is issued by "${after.issuerCommonName}"`);
    }
    if (after.notAfter.getTime() > ca.certificate.notAfter.getTime()) {
      warnings.push(
        `${first.path} is valid until ${rfc3339(after.notAfter)}, after its CA expires (${rfc3339(ca.certificate.notAfter)}): it stops working then; plan a CA rotation (etcd-pki rotate-ca)`,
      );
    }
    renewed.push({
      role: group.role,
      owners: group.owners,
      paths: group.files.map((f) => f.path),
      previousSerial: before.serial,
      serial: after.serial,
      previousNotAfter: before.notAfter,
      notAfter: after.notAfter,
      keyRotated: reissued.key !== undefined,
    });
  }
  return { files, renewed, warnings };
}

/**
 * The bundle's description with `name`'s hosts replaced, and each certificate's SANs under it,
 * as cluster-bundle would issue them: the member's hosts, localhost's when the bundle adds them,
 * and, for a shared server certificate, every member's.
 * @throws PkiError USAGE for a client (a client certificate names no host) or when the member's
 *   advertised address is left out; the description's own errors for hosts it refuses.
 */
function withMemberHosts(
  inventory: BundleInventory,
  name: string,
  hosts: readonly string[],
): { json: ClusterJson; hostsOf: (group: CertificateGroup) => readonly string[] | undefined } {
  const { cluster, manifest } = inventory;
  const member = cluster.members.find((m) => m.name === name);
  if (!member) {
    throw new PkiError(
      'USAGE',
      `${name} is a client: a client certificate names no hosts (etcd checks a client by its CA and common name)`,
      {
        hint: `renew ${name} without -hosts`,
      },
    );
  }
  const advertised = member.hosts[0]!;
  const key = (host: string) => (ipToBytes(host) ? canonicalIp(host) : host.toLowerCase().replace(/\.$/, ''));
  if (!hosts.some((host) => key(host) === key(advertised))) {
    throw new PkiError('USAGE', `-hosts leaves out ${advertised}, the address every member's configuration uses for ${name}`, {
      hint: `keep ${advertised} in -hosts; to move a member to another address, remove it and add it again (add-member)`,
    });
  }
  const automatic = new Set<string>(cluster.localhost ? LOCALHOST_HOSTS.map(key) : []);
  const seen = new Set([key(advertised)]);
  const others = hosts.filter((host) => {
    const k = key(host);
    if (seen.has(k) || automatic.has(k)) return false;
    seen.add(k);
    return true;
  });
  const json: ClusterJson = {
    ...manifest.cluster,
    members: manifest.cluster.members.map((m) => (m.name === name ? { ...m, hosts: [advertised, ...others] } : m)),
  };
  const described: ClusterDescription = normaliseClusterDescription(json, '-hosts');
  const requests = credentialRequests(described);
  const sameOwners = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((owner) => b.includes(owner));
  return {
    json,
    hostsOf: (group) => requests.find((r) => r.role === group.role && sameOwners(r.owners, group.owners))?.request.hosts,
  };
}

/** The members and clients selected, by name, after checking every name. */
function selectedOwners(inventory: BundleInventory, select: RenewSelection): Set<string> {
  const members = inventory.cluster.members.map((m) => m.name);
  const clients = inventory.cluster.clients.map((c) => c.name);
  if (select.all) return new Set([...members, ...clients]);
  const check = (names: readonly string[], known: readonly string[], kind: 'member' | 'client', other: readonly string[]) =>
    names.map((name) => {
      if (known.includes(name)) return name;
      const otherKind = kind === 'member' ? 'client' : 'member';
      if (other.includes(name)) {
        throw new PkiError('USAGE', `${name} is a ${otherKind} of this bundle, not a ${kind}`, {
          hint: `renew it with -${otherKind} ${name}`,
        });
      }
      const guess = closest(name, known);
      throw new PkiError('USAGE', `the bundle has no ${kind} named ${JSON.stringify(name)}`, {
        hint: guess ? `did you mean ${guess}?` : `its ${kind}s are ${known.join(', ') || '(none)'}`,
      });
    });
  const chosen = [...check(select.members ?? [], members, 'member', clients), ...check(select.clients ?? [], clients, 'client', members)];
  if (chosen.length === 0) {
    throw new PkiError('USAGE', 'nothing to renew', {
      hint: 'name members with -member, clients with -client, or renew everything with -all',
    });
  }
  return new Set(chosen);
}

function renewalSteps(inventory: BundleInventory, files: readonly PlannedFile[], options: PlanRenewalOptions): LifecycleStep[] {
  const { cluster } = inventory;
  const byOwner = new Map<string, string[]>();
  for (const file of files) {
    const owner = file.path.includes('/') ? file.path.slice(0, file.path.indexOf('/')) : undefined;
    if (owner === undefined || owner === 'ca') continue;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), file.path]);
  }
  const secret = (path: string) => files.some((f) => f.path === path && f.secret);
  const steps: LifecycleStep[] = [...byOwner].map(([owner, paths]) => copyStep(cluster, owner, paths, secret));
  const renewedMembers = cluster.members.some((m) => byOwner.has(m.name));
  const renewedClients = cluster.clients.some((c) => byOwner.has(c.name));
  if (renewedMembers) {
    steps.push({
      kind: 'no-restart',
      reason:
        ETCD_RELOAD.certificate.reason +
        (options.rotateKey
          ? '. With new keys, put each key and its certificate in place together (mv, key first): a handshake between the two sees a pair that does not match and fails'
          : ''),
    });
  }
  if (renewedClients) {
    steps.push({
      kind: 'note',
      text: "clients: etcdctl reads its certificate at every run, and programs built on etcd's client library (kube-apiserver) at every new connection; restart any other long-running client",
    });
  }
  const expiry = options.expiry !== undefined ? ` (renewed for ${formatGoDuration(options.expiry)})` : '';
  steps.push({
    kind: 'next',
    text: `check what is served now${expiry}`,
    command: `etcd-pki check-expiration -out ${OUT_PLACEHOLDER} -verify`,
  });
  return steps;
}
