// Issue 6, "How it is shown": doctor against a real etcd 3.4 cluster on loopback addresses
// 127.0.0.21-23 (ports 2379/2380; the etcd-layer suite uses .11-.15). Three members started from
// their cluster-bundle etcd.conf, then `doctor -endpoint` reports the chain and names served and
// whether our client certificate is accepted; a mistyped `etcdctl member update` is found with
// the command that undoes it. Every process started here is killed in afterAll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdPki } from '../support/cli.js';
import { ETCD, etcdctl as runEtcdctl, etcdMembers, listening } from '../support/etcd.js';
import { readEnvFile } from '../support/env-file.js';

const MEMBERS = [
  { name: 'etcd1', ip: '127.0.0.21' },
  { name: 'etcd2', ip: '127.0.0.22' },
  { name: 'etcd3', ip: '127.0.0.23' },
];
const clientUrl = (ip: string) => `https://${ip}:2379`;
const peerUrl = (ip: string) => `https://${ip}:2380`;

const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-doctor-live-'));
const bundle = join(dir, 'bundle');
const foreign = join(dir, 'foreign');
const members = etcdMembers({ cwd: dir, bundle });

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdctl(args: string[], endpoint = clientUrl(MEMBERS[0]!.ip)) {
  return runEtcdctl(args, { cwd: dir, env: { ...readEnvFile(join(bundle, 'etcdctl', 'etcdctl.env')), ETCDCTL_ENDPOINTS: endpoint } });
}

async function waitHealthy(): Promise<void> {
  await members.waitUntil(
    async () => {
      const result = await etcdctl(['endpoint', 'health', '--cluster', '--dial-timeout=2s', '--command-timeout=3s']);
      const output = result.stdout + result.stderr;
      return { ready: result.status === 0 && (output.match(/is healthy/g) ?? []).length === MEMBERS.length, output };
    },
    { what: 'healthy' },
  );
}

interface Finding {
  check: string;
  severity: 'OK' | 'WARN' | 'FAIL';
  member: string;
  evidence: string;
  fix?: string;
}

/** `etcd-pki doctor ARGS --json`: the exit status and the findings. */
function doctor(args: readonly string[]): { status: number | null; findings: Finding[]; stderr: string } {
  const result = etcdPki(['doctor', ...args, '--json'], { cwd: dir });
  const json = JSON.parse(result.stdout) as { findings: Finding[] };
  return { status: result.status, findings: json.findings, stderr: result.stderr };
}
const client = (name = 'etcdctl', root = bundle) => [
  '-cacert',
  join(root, name, 'ca.pem'),
  '-cert',
  join(root, name, `${name}.pem`),
  '-key',
  join(root, name, `${name}-key.pem`),
];
const about = (findings: Finding[], check: string, severity?: string) =>
  findings.filter((f) => f.check === check && (severity === undefined || f.severity === severity));
const problems = (findings: Finding[]) =>
  findings.filter((f) => f.severity !== 'OK').map((f) => `${f.severity} ${f.check} ${f.member}: ${f.evidence}`);

describe('doctor against a live etcd cluster on 127.0.0.21-23', () => {
  beforeAll(async () => {
    expect(ETCD, 'etcd is not installed (scripts/install-test-deps.sh)').not.toBe('');
    for (const { ip } of MEMBERS) for (const port of [2379, 2380]) expect(await listening(ip, port), `${ip}:${port} is in use`).toBe(false);
    const made = etcdPki(
      [
        'cluster-bundle',
        ...MEMBERS.flatMap((m) => ['-member', `${m.name}=${m.ip}`]),
        '-out',
        bundle,
        '-pki-dir',
        `${bundle}/{name}`,
        '-data-dir',
        `${dir}/data/{name}.etcd`,
        '-token',
        'doctor-live',
        '--quiet',
      ],
      { cwd: dir },
    );
    expect(made.status, made.stderr).toBe(0);
    const other = etcdPki(['cluster-bundle', '-member', 'x=127.0.0.29', '-out', foreign, '--quiet'], { cwd: dir });
    expect(other.status, other.stderr).toBe(0);
    for (const { name } of MEMBERS) members.start(name);
    await waitHealthy();
  });

  it('reports the bundle and a client endpoint with no FAIL and no WARN: chain, names, client certificate, member list', () => {
    const url = clientUrl('127.0.0.21');
    const result = doctor(['-bundle', bundle, '-endpoint', url, ...client()]);
    expect(problems(result.findings)).toEqual([]);
    expect(result.status).toBe(0);
    const connect = about(result.findings, 'live.connect', 'OK')[0]!;
    expect(connect.evidence).toMatch(
      /^TLS handshake \(TLSv1\.3\) with https:\/\/127\.0\.0\.21:2379; it presents "etcd1", DNS localhost, IP 127\.0\.0\.21, IP 127\.0\.0\.1, IP ::1, valid .* issued by "ETCD Root CA"/,
    );
    expect(about(result.findings, 'live.client-cert', 'OK')[0]!.evidence).toContain(
      'our client certificate is accepted (HTTP 200), and a connection without one is refused',
    );
    expect(about(result.findings, 'live.members', 'OK')[0]!.evidence).toBe(
      `3 members: ${MEMBERS.map((m) => `${m.name} ${peerUrl(m.ip)}`).join('; ')}`,
    );
  });

  it('reads the member list from a peer port too, with a peer certificate', () => {
    const url = peerUrl('127.0.0.22');
    const peer = [
      '-cacert',
      join(bundle, 'etcd1', 'peer-ca.pem'),
      '-cert',
      join(bundle, 'etcd1', 'etcd1-peer.pem'),
      '-key',
      join(bundle, 'etcd1', 'etcd1-peer-key.pem'),
    ];
    const result = doctor(['-bundle', bundle, '-endpoint', url, ...peer]);
    expect(problems(result.findings)).toEqual([]);
    expect(about(result.findings, 'live.members', 'OK')[0]!.evidence).toMatch(/^3 members: /);
  });

  it("says the peer port refuses etcdctl's client certificate, as it should (issue 17; the FAIL when it does not: lifecycle-live)", () => {
    const result = doctor([
      '-bundle',
      bundle,
      '-endpoint',
      peerUrl('127.0.0.22'),
      '-cacert',
      join(bundle, 'etcd1', 'peer-ca.pem'),
      '-cert',
      join(bundle, 'etcdctl', 'etcdctl.pem'),
      '-key',
      join(bundle, 'etcdctl', 'etcdctl-key.pem'),
    ]);
    expect(about(result.findings, 'live.client-cert', 'OK')[0]!.evidence).toMatch(
      /^the peer port refuses the client certificate "etcdctl" \(.*\), as it should$/,
    );
  });

  it('fails without the CA: "x509: certificate signed by unknown authority"', () => {
    const url = clientUrl('127.0.0.23');
    const result = doctor([
      '-endpoint',
      url,
      '-cert',
      join(bundle, 'etcdctl', 'etcdctl.pem'),
      '-key',
      join(bundle, 'etcdctl', 'etcdctl-key.pem'),
    ]);
    expect(result.status).toBe(6);
    expect(about(result.findings, 'live.chain', 'FAIL')[0]!.evidence).toContain('x509: certificate signed by unknown authority');
  });

  it('fails without a client certificate, and with one from another CA', () => {
    const url = clientUrl('127.0.0.21');
    const none = doctor(['-endpoint', url, '-cacert', join(bundle, 'etcdctl', 'ca.pem')]);
    expect(none.status).toBe(6);
    expect(about(none.findings, 'live.client-cert', 'FAIL')[0]!.evidence).toMatch(
      /^the endpoint requires a client certificate and none was given: .*(certificate required|bad certificate)/,
    );
    const foreignCert = doctor([
      '-endpoint',
      url,
      '-cacert',
      join(bundle, 'etcdctl', 'ca.pem'),
      '-cert',
      join(foreign, 'etcdctl', 'etcdctl.pem'),
      '-key',
      join(foreign, 'etcdctl', 'etcdctl-key.pem'),
    ]);
    expect(foreignCert.status).toBe(6);
    expect(about(foreignCert.findings, 'live.client-cert', 'FAIL')[0]!.evidence).toMatch(
      /^our client certificate was refused: .*bad certificate/,
    );
  });

  it("finds a mistyped 'etcdctl member update' and gives the command that undoes it", async () => {
    // `-w simple` prints IDs in hex, as `member update` takes them (JSON's uint64 loses digits).
    const list = await etcdctl(['member', 'list', '-w', 'simple']);
    const id = /^([0-9a-f]+), started, etcd3,/m.exec(list.stdout)![1]!;
    // The walkthrough's typo: 127.0.0.2 for 127.0.0.23 (192.168.0.4 for 192.168.0.94).
    const update = await etcdctl(['member', 'update', id, '--peer-urls=https://127.0.0.2:2380']);
    expect(update.stderr).toBe('');
    const result = doctor(['-bundle', bundle, '-endpoint', clientUrl('127.0.0.21'), ...client()]);
    expect(result.status).toBe(6);
    const [finding] = about(result.findings, 'cluster.unknown-member-url', 'FAIL');
    expect(finding!.evidence).toBe(
      'the cluster\'s member list gives etcd3 the peer URL https://127.0.0.2:2380, but etcd3 advertises https://127.0.0.23:2380 (a mistyped "etcdctl member update"?)',
    );
    expect(finding!.fix).toBe(`etcdctl member update ${id} --peer-urls=https://127.0.0.23:2380`);
    const undo = await etcdctl(finding!.fix!.split(' ').slice(1));
    expect(undo.stderr).toBe('');
    expect(doctor(['-bundle', bundle, '-endpoint', clientUrl('127.0.0.21'), ...client()]).status).toBe(0);
    await waitHealthy();
  });
});
