// Issue 16, item 5, on a real etcd 3.4 cluster at 127.0.16.11-13 (only those addresses), started
// from cluster-bundle's etcd.conf files (-pki-dir points at each member's bundle directory, so
// writing the bundle is deploying it). Where rotate-ca can see the cluster (-verify), the rolling
// restart it prints puts the member the cluster reports as leader last, and follows the leader
// when it moves; without it, it says how to find the leader. doctor, given a member configuration
// whose advertised peer URL is mistyped (issue 16, item 12), names the typo in the configuration
// and neither copies it into a fix nor suggests adding a phantom member. rotate-ca abort, after
// phase 2 is deployed, returns every member to the old CA: after the rolling restart it prints,
// each serves an old-CA certificate, the old-CA client works and a new-CA client is refused.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { ETCD, etcdctl as runEtcdctl, etcdMembers, listening } from '../support/etcd.js';
import { readEnvFile } from '../support/env-file.js';
import { run } from '../support/run.js';

const MEMBERS = [
  { name: 'r1', ip: '127.0.16.11' },
  { name: 'r2', ip: '127.0.16.12' },
  { name: 'r3', ip: '127.0.16.13' },
] as const;
const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-e2e-rotation-'));
const out = join(dir, 'bundle');
const members = etcdMembers({ cwd: dir, bundle: out });

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdPki(args: readonly string[]): Promise<{ status: number; output: string; stdout: string }> {
  const result = await run(process.execPath, [CLI, ...args], { cwd: dir });
  return { status: result.code, output: result.stderr + result.stdout, stdout: result.stdout };
}

async function etcdctl(args: readonly string[]) {
  const endpoints = MEMBERS.map((m) => `https://${m.ip}:2379`).join(',');
  return runEtcdctl(args, { cwd: dir, env: { ...readEnvFile(join(out, 'etcdctl', 'etcdctl.env')), ETCDCTL_ENDPOINTS: endpoints } });
}

/** The leader's name and every member's ID (hex, as etcdctl move-leader takes it), from etcdctl endpoint status. */
async function leadership(): Promise<{ leader: string; ids: Map<string, string> }> {
  const status = await etcdctl(['endpoint', 'status', '-w', 'json']);
  expect(status.status, status.stderr).toBe(0);
  // Member IDs are uint64s beyond a JavaScript number's precision: quoted before parsing.
  const exact = status.stdout.replace(/"(member_id|leader|cluster_id)":(\d+)/g, '"$1":"$2"');
  const rows = JSON.parse(exact) as Array<{ Endpoint: string; Status: { header: { member_id: string }; leader: string } }>;
  const ids = new Map<string, string>();
  let leader = '';
  for (const row of rows) {
    const member = MEMBERS.find((m) => row.Endpoint.includes(m.ip))!;
    const id = BigInt(row.Status.header.member_id);
    ids.set(member.name, id.toString(16));
    if (BigInt(row.Status.leader) === id) leader = member.name;
  }
  return { leader, ids };
}

beforeAll(async () => {
  expect(ETCD, 'etcd is not on PATH: bash scripts/install-test-deps.sh').not.toBe('');
  for (const m of MEMBERS) expect(await listening(m.ip, 2379), `something already listens on ${m.ip}:2379`).toBe(false);
  const made = await etcdPki([
    'cluster-bundle',
    // rotate-ca rotates a single-CA bundle only (a peer CA's rotation is not implemented yet).
    '-single-ca',
    ...MEMBERS.flatMap((m) => ['-member', `${m.name}=${m.ip}`]),
    '-pki-dir',
    join(out, '{name}'),
    '-data-dir',
    join(dir, 'data', '{name}'),
    '-out',
    out,
    '--quiet',
  ]);
  expect(made.status, made.output).toBe(0);
  for (const m of MEMBERS) members.start(m.name);
  await members.waitUntil(
    async () => {
      const health = await etcdctl(['endpoint', 'health', '--dial-timeout=2s', '--command-timeout=3s']);
      const output = health.stdout + health.stderr;
      return { ready: health.status === 0 && (output.match(/is healthy/g) ?? []).length === MEMBERS.length, output };
    },
    { what: 'healthy' },
  );
}, 90_000);

describe('rotate-ca restart order (issue 16, item 5)', () => {
  it('without -verify, says how to find the leader and to restart it last', async () => {
    const result = await etcdPki(['rotate-ca', '-phase', '1', '-out', out]);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('with the leader last:');
    expect(result.stdout).toContain('etcdctl endpoint status --cluster -w table (IS LEADER)');
  });

  it('with -verify, puts the member the cluster reports as leader last, and follows the leader when it moves', async () => {
    const { leader, ids } = await leadership();
    expect(leader).not.toBe('');
    const first = await etcdPki(['rotate-ca', '-phase', '1', '-out', out, '-verify']);
    expect(first.status, first.output).toBe(0);
    const ip = (name: string) => MEMBERS.find((m) => m.name === name)!.ip;
    expect(first.stdout).toContain(`then ${leader} (${ip(leader)})\n     ${leader} is the leader now`);

    const next = MEMBERS.find((m) => m.name !== leader)!.name;
    const moved = await runEtcdctl(['move-leader', ids.get(next)!], {
      cwd: dir,
      env: { ...readEnvFile(join(out, 'etcdctl', 'etcdctl.env')), ETCDCTL_ENDPOINTS: `https://${ip(leader)}:2379` },
    });
    expect(moved.status, moved.stderr).toBe(0);
    expect((await leadership()).leader).toBe(next);
    const again = await etcdPki(['rotate-ca', '-phase', '1', '-out', out, '-verify']);
    expect(again.status, again.output).toBe(0);
    expect(again.stdout).toContain(`then ${next} (${ip(next)})\n     ${next} is the leader now`);
  }, 60_000);
});

describe('doctor on a mistyped advertised peer URL (issue 16, item 12)', () => {
  it('names the configuration as mistyped, fixes it to the URL the member listens at, and suggests no member add or update to the typo', async () => {
    // The walkthrough's typo: 192.168.0.4 for 192.168.0.94; here 127.0.16.1 for 127.0.16.13.
    const typo = join(dir, 'r3-typo.conf');
    writeFileSync(
      typo,
      readFileSync(join(out, 'r3', 'etcd.conf'), 'utf8').replace(
        'ETCD_INITIAL_ADVERTISE_PEER_URLS="https://127.0.16.13:2380"',
        'ETCD_INITIAL_ADVERTISE_PEER_URLS="https://127.0.16.1:2380"',
      ),
    );
    const client = join(out, 'etcdctl');
    const result = await etcdPki([
      'doctor',
      '-conf',
      join(out, 'r1', 'etcd.conf'),
      '-conf',
      join(out, 'r2', 'etcd.conf'),
      '-conf',
      typo,
      '-endpoint',
      'https://127.0.16.11:2379',
      '-cacert',
      join(client, 'ca.pem'),
      '-cert',
      join(client, 'etcdctl.pem'),
      '-key',
      join(client, 'etcdctl-key.pem'),
      '--json',
    ]);
    const findings = (
      JSON.parse(result.stdout) as { findings: Array<{ check: string; severity: string; evidence: string; fix?: string }> }
    ).findings.filter((f) => f.severity !== 'OK');
    const text = findings.map((f) => `${f.severity} ${f.check}: ${f.evidence} -> ${f.fix ?? ''}`).join('\n');
    expect(text).toContain('the configuration is mistyped');
    expect(text).toContain("set r3's initial-advertise-peer-urls to https://127.0.16.13:2380");
    expect(text).not.toContain('member add');
    expect(findings.map((f) => f.fix ?? '').join('\n')).not.toContain('--peer-urls=https://127.0.16.1:2380');
  });
});

/** Restarts every member one at a time, waiting for a healthy cluster after each, as the steps say. */
async function rollingRestart(): Promise<void> {
  for (const m of MEMBERS) {
    await members.stop(m.name);
    members.start(m.name);
    await members.waitUntil(
      async () => {
        const health = await etcdctl(['endpoint', 'health', '--dial-timeout=2s', '--command-timeout=3s']);
        const output = health.stdout + health.stderr;
        return { ready: health.status === 0 && (output.match(/is healthy/g) ?? []).length === MEMBERS.length, output };
      },
      { what: `healthy after restarting ${m.name}` },
    );
  }
}

/** The certificate a member's client port serves now, on a new connection. */
function served(ip: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: ip,
        port: 2379,
        rejectUnauthorized: false,
        cert: readFileSync(join(out, 'etcdctl', 'etcdctl.pem')),
        key: readFileSync(join(out, 'etcdctl', 'etcdctl-key.pem')),
      },
      () => {
        const raw = socket.getPeerCertificate().raw;
        socket.end();
        resolve(new X509Certificate(raw));
      },
    );
    socket.on('error', reject);
  });
}

/** GET /health with a client certificate: the status, or 0 when the member refused the connection. */
function health(ip: string, cert: Buffer, key: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: ip, port: 2379, path: '/health', method: 'GET', agent: false, cert, key, rejectUnauthorized: false, timeout: 3000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

describe('rotate-ca abort (issue 16, item 5)', () => {
  it('after phase 2 is deployed, returns every member to the old CA; a client of the abandoned CA is refused', async () => {
    const oldCa = new X509Certificate(readFileSync(join(out, 'ca', 'ca.pem')));
    // Phase 1 is written (above): deploy it with the rolling restart it asks for, then phase 2.
    await rollingRestart();
    const two = await etcdPki(['rotate-ca', '-phase', '2', '-out', out, '-verify']);
    expect(two.status, two.output).toBe(0);
    const newCa = new X509Certificate(readFileSync(join(out, 'ca', 'ca.pem')));
    expect(newCa.fingerprint256).not.toBe(oldCa.fingerprint256);
    expect((await served(MEMBERS[0].ip)).checkIssued(newCa)).toBe(true);
    copyFileSync(join(out, 'ca', 'ca.pem'), join(dir, 'abandoned-ca.pem'));
    copyFileSync(join(out, 'ca', 'ca-key.pem'), join(dir, 'abandoned-ca-key.pem'));

    // A client certificate from the new CA: accepted now, refused everywhere after the abort.
    writeFileSync(
      join(dir, 'client-config.json'),
      JSON.stringify({ signing: { default: { expiry: '1h', usages: ['signing', 'key encipherment', 'client auth'] } } }),
    );
    writeFileSync(join(dir, 'client-csr.json'), JSON.stringify({ CN: 'abandoned-client', key: { algo: 'ecdsa', size: 256 } }));
    const issued = await etcdPki([
      'gencert',
      '-ca',
      join(dir, 'abandoned-ca.pem'),
      '-ca-key',
      join(dir, 'abandoned-ca-key.pem'),
      '-config',
      join(dir, 'client-config.json'),
      join(dir, 'client-csr.json'),
    ]);
    expect(issued.status, issued.output).toBe(0);
    const { cert, key } = JSON.parse(issued.stdout) as { cert: string; key: string };
    expect(await health(MEMBERS[0].ip, Buffer.from(cert), Buffer.from(key))).toBe(200);

    const aborted = await etcdPki(['rotate-ca', 'abort', '-out', out, '-verify']);
    expect(aborted.status, aborted.output).toBe(0);
    expect(aborted.stdout).toContain('abandoned at phase 2');
    expect(aborted.stdout).toContain('install on every member before restarting any');
    expect(aborted.stdout).toMatch(/is the leader now/);
    expect(new X509Certificate(readFileSync(join(out, 'ca', 'ca.pem'))).fingerprint256).toBe(oldCa.fingerprint256);
    // The certificates are read at the next handshake: old-CA ones are served before any restart.
    for (const m of MEMBERS) expect((await served(m.ip)).checkIssued(oldCa), m.name).toBe(true);
    await rollingRestart();
    for (const m of MEMBERS) expect((await served(m.ip)).checkIssued(oldCa), m.name).toBe(true);

    const oldClient = [readFileSync(join(out, 'etcdctl', 'etcdctl.pem')), readFileSync(join(out, 'etcdctl', 'etcdctl-key.pem'))] as const;
    for (const m of MEMBERS) {
      expect(await health(m.ip, Buffer.from(cert), Buffer.from(key)), `${m.name} with the abandoned CA's client`).toBe(0);
      expect(await health(m.ip, ...oldClient), `${m.name} with the old CA's client`).toBe(200);
    }
    const status = await etcdPki(['rotate-ca', 'status', '-out', out]);
    expect(status.stdout).toContain('no CA rotation');
  }, 120_000);
});
