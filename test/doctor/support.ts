// Shared by the doctor suites: a clean cluster-bundle made in memory by the etcd layer's own
// planner, certificates issued from its CA on demand, and the walkthrough's deployed files.
import { expect } from 'vitest';
import { loadCertificateAuthority, type CertificateAuthority } from '../../src/signing/authority.js';
import { generateCertificate } from '../../src/signing/operations.js';
import { normaliseSigningPolicy } from '../../src/profiles/load.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import type { UsageName } from '../../src/profiles/usages.js';
import { normaliseClusterDescription } from '../../src/bundle/load.js';
import { planClusterBundle } from '../../src/bundle/plan.js';
import type { ClusterJson } from '../../src/bundle/types.js';
import { bundleInput, deployClients, deployMembers, type BundleFile } from '../../src/doctor/deploy.js';
import { runDoctor, type DoctorOptions, type DoctorReport } from '../../src/doctor/doctor.js';
import type { CheckId, Finding, Severity } from '../../src/doctor/findings.js';
import { parseConfigFile } from '../../src/etcd-config/member-config.js';
import { clientFilePaths, memberFilePaths, type DeployedFile, type FileStat, type RunAsUser } from '../../src/etcd-config/model.js';
import { fixture, fixtureBytes } from '../support/fixtures.js';

/** The `etcd` user and group of these tests (Debian's etcd-server package makes uid 102, gid 105). */
export const ETCD_USER: RunAsUser = { name: 'etcd', uid: 102, gid: 105, groups: [] };
export const ACCOUNT_NAMES = {
  users: new Map([
    [0, 'root'],
    [102, 'etcd'],
  ]),
  groups: new Map([
    [0, 'root'],
    [105, 'etcd'],
  ]),
};

/** Certificates of the walkthrough are valid from 2026-11-25 to 2027-11-25 (fixtures/cfssl). */
export const WALKTHROUGH_NOW = new Date('2027-01-15T00:00:00Z');

/** The walkthrough's three members, as cluster.json. */
export const WALKTHROUGH_CLUSTER: ClusterJson = {
  members: [
    { name: 'etcd1', hosts: ['192.168.0.91'] },
    { name: 'etcd2', hosts: ['192.168.0.92'] },
    { name: 'etcd3', hosts: ['192.168.0.93'] },
  ],
  names: [{ C: 'US', ST: 'San Francisco', L: 'CA' }],
};

export type BundleFiles = Map<string, BundleFile>;

/** A cluster-bundle output in memory: relative path -> bytes and the mode cluster-bundle writes. */
export async function makeBundle(json: ClusterJson = WALKTHROUGH_CLUSTER, now = new Date()): Promise<BundleFiles> {
  const bundle = await planClusterBundle({ cluster: normaliseClusterDescription(json), now });
  const files: BundleFiles = new Map();
  for (const file of bundle.files) {
    const bytes = typeof file.contents === 'string' ? new TextEncoder().encode(file.contents) : file.contents;
    files.set(file.path, { bytes, stat: { mode: 0o100000 | file.mode, uid: 0, gid: 0 } });
  }
  return files;
}

/** A copy that a mutation may change without touching the original. */
export function copyBundle(files: BundleFiles): BundleFiles {
  return new Map(
    [...files].map(([path, file]) => [path, { bytes: new Uint8Array(file.bytes), stat: file.stat ? { ...file.stat } : undefined }]),
  );
}

export function text(files: BundleFiles, path: string): string {
  const file = files.get(path);
  if (!file) throw new Error(`no ${path} in the bundle`);
  return Buffer.from(file.bytes).toString('utf8');
}

export function put(files: BundleFiles, path: string, contents: string | Uint8Array, mode?: number): void {
  const old = files.get(path);
  files.set(path, {
    bytes: typeof contents === 'string' ? new TextEncoder().encode(contents) : contents,
    stat: { mode: 0o100000 | (mode ?? (old?.stat ? old.stat.mode & 0o7777 : 0o644)), uid: 0, gid: 0 },
  });
}

/**
 * Edits a member's etcd.conf (`ETCD_NAME` -> value, or removes the line for `undefined`) and drops
 * its etcd.yaml, so that only the mutation itself is reported, not the two files disagreeing.
 */
export function setEnv(files: BundleFiles, member: string, key: string, value: string | undefined): void {
  const path = `${member}/etcd.conf`;
  const lines = text(files, path).split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${key}=`));
  if (value === undefined) {
    if (at < 0) throw new Error(`${key} is not in ${path}`);
    lines.splice(at, 1);
  } else if (at < 0) lines.splice(lines.length - 1, 0, `${key}="${value}"`);
  else lines[at] = `${key}="${value}"`;
  put(files, path, lines.join('\n'));
  files.delete(`${member}/etcd.yaml`);
}

export function getEnv(files: BundleFiles, member: string, key: string): string {
  const line = text(files, `${member}/etcd.conf`)
    .split('\n')
    .find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`${key} is not in ${member}/etcd.conf`);
  return line.slice(key.length + 2, -1);
}

/** The bundle's CA (ca/ca.pem, ca/ca-key.pem), to issue mutated certificates from. */
export function bundleAuthority(files: BundleFiles): CertificateAuthority {
  return loadCertificateAuthority({ certificate: text(files, 'ca/ca.pem'), key: text(files, 'ca/ca-key.pem') });
}

export interface IssueOptions {
  readonly ca: CertificateAuthority;
  readonly cn: string;
  readonly hosts: readonly string[];
  readonly usages: readonly UsageName[];
  /** Issuance time; default now. */
  readonly now?: Date;
  /** Default 8760h. */
  readonly expiry?: string;
}

/** A certificate and key issued as a cfssl profile with these usages would issue them. */
export async function issue(options: IssueOptions): Promise<{ cert: string; key: string }> {
  const policy = normaliseSigningPolicy(
    { signing: { profiles: { p: { expiry: options.expiry ?? '8760h', usages: [...options.usages] } } } },
    undefined,
  );
  const request = normaliseCertificateRequest({ CN: options.cn, hosts: [...options.hosts], key: { algo: 'ecdsa', size: 256 } });
  const issued = await generateCertificate({
    request,
    ca: options.ca,
    profile: policy.profiles.p!,
    ...(options.now ? { now: options.now } : {}),
  });
  return { cert: issued.cert, key: issued.key };
}

export const SERVER_USAGES: readonly UsageName[] = ['signing', 'key encipherment', 'server auth', 'client auth'];
export const CLIENT_USAGES: readonly UsageName[] = ['signing', 'key encipherment', 'client auth'];

/** runDoctor over a bundle in memory. */
export async function doctorBundle(files: BundleFiles, options: Omit<DoctorOptions, 'members' | 'clients'> = {}): Promise<DoctorReport> {
  const input = bundleInput(files, 'out');
  return runDoctor({ members: input.members, clients: input.clients, complete: true, ...options });
}

/** Deployed files of the walkthrough: `/etc/etcd/pki/NAME` is fixtures/cfssl/NAME (real cfssl output). */
export function walkthroughFile(path: string, stat?: Partial<FileStat>): DeployedFile {
  const name = path.replace(/^.*\//, '');
  let bytes: Uint8Array | undefined;
  try {
    bytes = fixtureBytes(`cfssl/${name}`);
  } catch {
    return { path, location: path, error: 'missing' };
  }
  const mode = name.endsWith('-key.pem') ? 0o600 : 0o644;
  return { path, location: path, bytes, stat: { mode: 0o100000 | mode, uid: 102, gid: 105, ...stat } };
}

/** A scenario of fixtures/doctor/: its configurations, deployed with the walkthrough's files. */
export function walkthroughScenario(folder: string, names: readonly string[], stat?: (path: string) => Partial<FileStat> | undefined) {
  const members = [];
  const clients = [];
  for (const name of names) {
    const file = `doctor/${folder}/${name}`;
    const parsed = parseConfigFile(fixture(file), file);
    const paths = parsed.kind === 'member' ? memberFilePaths(parsed.config) : clientFilePaths(parsed.config);
    const files = new Map(paths.map((path) => [path, walkthroughFile(path, stat?.(path))]));
    if (parsed.kind === 'member') members.push({ config: parsed.config, files });
    else clients.push({ config: parsed.config, files });
  }
  return { members: deployMembers(members), clients: deployClients(clients) };
}

/** The findings of one check (and member), by severity. */
export function findings(report: DoctorReport, check: CheckId, member?: string, severity?: Severity): Finding[] {
  return report.findings.filter(
    (f) => f.check === check && (member === undefined || f.member === member) && (severity === undefined || f.severity === severity),
  );
}

export function problems(report: DoctorReport): Finding[] {
  return report.findings.filter((f) => f.severity !== 'OK');
}

/** Asserts that `check` FAILs (for `member`, when given), every such finding with a fix, and returns them. */
export function expectFail(report: DoctorReport, check: CheckId, member?: string): Finding[] {
  const found = findings(report, check, member, 'FAIL');
  expect(
    found,
    `${check} FAIL${member ? ` for ${member}` : ''}; got:\n${problems(report)
      .map((f) => `${f.severity} ${f.check} ${f.member}: ${f.evidence}`)
      .join('\n')}`,
  ).not.toEqual([]);
  for (const finding of found) expect(finding.fix, `${check} has a fix`).toMatch(/\S/);
  return found;
}
