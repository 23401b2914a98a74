import { findingsFor, type CheckId, type Finding, type FindingSink, type SubjectKind } from './findings.js';
import { keyName } from '../etcd-config/member-config.js';
import { readCertificateFile, readKeyFile, type CertificateFile, type KeyFile } from './material.js';
import type { DeployedClient, DeployedMember, RunAsUser } from '../etcd-config/model.js';
import type { EndpointProbe } from './live-endpoint.js';

/** What every check reads: the members and clients, the options, and their parsed files. */
export interface CheckContext {
  readonly members: readonly DeployedMember[];
  readonly clients: readonly DeployedClient[];
  readonly endpoints: readonly EndpointProbe[];
  readonly now: Date;
  /** Certificates expiring within this many milliseconds are a WARN. */
  readonly warnWithinMs: number;
  readonly user: RunAsUser | undefined;
  /** Why readability is not checked when `user` is absent. */
  readonly accessNote: string;
  readonly accountNames: { readonly users: ReadonlyMap<number, string>; readonly groups: ReadonlyMap<number, string> } | undefined;
  /** The members given are the whole cluster (so a URL matching none of them is wrong). */
  readonly complete: boolean;
}

/** A check: a named function from the context to its findings. */
export type Check = (context: CheckContext) => Finding[] | Promise<Finding[]>;

/** One TLS side of a member: where its certificate and key are set, and what they hold. */
export interface TlsPair {
  readonly role: 'server' | 'peer';
  /** `ETCD_CERT_FILE` / `cert-file` / `--cert-file`, as this configuration spells it. */
  readonly certKey: string;
  readonly keyKey: string;
  readonly caKey: string;
  readonly cert: CertificateFile | undefined;
  readonly key: KeyFile | undefined;
  readonly trustedCa: CertificateFile | undefined;
  readonly clientCertAuth: boolean;
}

/** The server and peer TLS settings of a member that sets any of them. */
export function tlsPairs(member: DeployedMember): TlsPair[] {
  const pairs: TlsPair[] = [];
  for (const [role, side, prefix] of [
    ['server', member.client, ''],
    ['peer', member.peer, 'peer-'],
  ] as const) {
    if (!side.certFile && !side.keyFile && !side.trustedCaFile) continue;
    pairs.push({
      role,
      certKey: keyName(member.settings, `${prefix}cert-file`),
      keyKey: keyName(member.settings, `${prefix}key-file`),
      caKey: keyName(member.settings, `${prefix}trusted-ca-file`),
      cert: side.certFile ? readCertificateFile(member.files, side.certFile) : undefined,
      key: side.keyFile ? readKeyFile(member.files, side.keyFile) : undefined,
      trustedCa: side.trustedCaFile ? readCertificateFile(member.files, side.trustedCaFile) : undefined,
      clientCertAuth: side.clientCertAuth,
    });
  }
  return pairs;
}

export function serverPair(member: DeployedMember): TlsPair | undefined {
  return tlsPairs(member).find((p) => p.role === 'server');
}

export function peerPair(member: DeployedMember): TlsPair | undefined {
  return tlsPairs(member).find((p) => p.role === 'peer');
}

/** A client's CA, certificate and key, as read. */
export interface ClientFiles {
  readonly ca: CertificateFile | undefined;
  readonly cert: CertificateFile | undefined;
  readonly key: KeyFile | undefined;
}

export function clientFiles(client: DeployedClient): ClientFiles {
  return {
    ca: client.caFile ? readCertificateFile(client.files, client.caFile) : undefined,
    cert: client.certFile ? readCertificateFile(client.files, client.certFile) : undefined,
    key: client.keyFile ? readKeyFile(client.files, client.keyFile) : undefined,
  };
}

/** Runs `body` once per member with a sink for `check`; a member without problems gets one OK. */
export function perMember(
  context: CheckContext,
  check: CheckId,
  body: (member: DeployedMember, sink: FindingSink) => void | Promise<void>,
  okText: (member: DeployedMember) => string | undefined,
): Promise<Finding[]> {
  return perSubject(context.members, 'member', check, body, okText);
}

export function perClient(
  context: CheckContext,
  check: CheckId,
  body: (client: DeployedClient, sink: FindingSink) => void | Promise<void>,
  okText: (client: DeployedClient) => string | undefined,
): Promise<Finding[]> {
  return perSubject(context.clients, 'client', check, body, okText);
}

async function perSubject<T extends { readonly label: string }>(
  subjects: readonly T[],
  kind: SubjectKind,
  check: CheckId,
  body: (subject: T, sink: FindingSink) => void | Promise<void>,
  okText: (subject: T) => string | undefined,
): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const subject of subjects) {
    const sink = findingsFor(out, check, subject.label, kind);
    const before = out.length;
    await body(subject, sink);
    if (sink.problems === 0 && out.length === before) {
      const text = okText(subject);
      if (text !== undefined) sink.ok(text);
    }
  }
  return out;
}

/** `etcd1-peer.pem` from `/etc/etcd/pki/etcd1-peer.pem`. */
export function baseName(path: string): string {
  return path.replace(/^.*\//, '');
}

/** One file a configuration names: the setting that names it, the path, and what it should hold. */
export interface FileRef {
  /** The setting as this configuration spells it (`ETCD_PEER_KEY_FILE`). */
  readonly key: string;
  readonly path: string;
  readonly kind: 'certificate' | 'key' | 'ca';
}

/** Every TLS file of a member, with the setting that names it. */
export function memberFileRefs(member: DeployedMember): FileRef[] {
  const refs: FileRef[] = [];
  for (const [side, prefix] of [
    [member.client, ''],
    [member.peer, 'peer-'],
  ] as const) {
    if (side.certFile) refs.push({ key: keyName(member.settings, `${prefix}cert-file`), path: side.certFile, kind: 'certificate' });
    if (side.keyFile) refs.push({ key: keyName(member.settings, `${prefix}key-file`), path: side.keyFile, kind: 'key' });
    if (side.trustedCaFile) refs.push({ key: keyName(member.settings, `${prefix}trusted-ca-file`), path: side.trustedCaFile, kind: 'ca' });
  }
  return refs;
}

/** Every file of a client configuration. */
export function clientFileRefs(client: DeployedClient): FileRef[] {
  const key = (...names: string[]) => names.find((n) => client.settings.values.has(n)) ?? names[0]!;
  const refs: FileRef[] = [];
  if (client.caFile) refs.push({ key: key('ETCDCTL_CACERT', 'ETCDCTL_CA_FILE'), path: client.caFile, kind: 'ca' });
  if (client.certFile) refs.push({ key: key('ETCDCTL_CERT', 'ETCDCTL_CERT_FILE'), path: client.certFile, kind: 'certificate' });
  if (client.keyFile) refs.push({ key: key('ETCDCTL_KEY', 'ETCDCTL_KEY_FILE'), path: client.keyFile, kind: 'key' });
  return refs;
}

/** A setting as its configuration writes it: `ETCD_CERT_FILE=/x`, `--cert-file=/x`, `cert-file: /x`. */
export function assign(key: string, value: string): string {
  return /^[A-Z_][A-Z0-9_]*$/.test(key) || key.startsWith('--') ? `${key}=${value}` : `${key}: ${value}`;
}
