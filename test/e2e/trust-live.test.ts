// Issue 17, "Done means" 1 and 2, on a real etcd 3.4 cluster on 127.0.17.1-3 (only those
// addresses), started from cluster-bundle's etcd.conf files (-pki-dir pointing at each member's
// own directory: writing the bundle is deploying it). With the default trust layout (a peer CA
// apart from the client CA): etcdctl's certificate is refused on every member's :2380, a member's
// peer certificate on :2379, the cluster is healthy and etcd logs no rejected connection of its
// own. Then `revoke -client etcdctl`: a put with the old certificate fails, the new one works, no
// member restarted. Every process started here is killed in afterAll (and on exit).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { ETCD, ETCDCTL, etcdctl, etcdMembers, listening } from '../support/etcd.js';
import { run } from '../support/run.js';

const MEMBERS = [
  { name: 'etcd1', ip: '127.0.17.1' },
  { name: 'etcd2', ip: '127.0.17.2' },
  { name: 'etcd3', ip: '127.0.17.3' },
] as const;
const ENDPOINTS = MEMBERS.map((m) => `https://${m.ip}:2379`).join(',');

const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-e2e-trust-'));
const out = join(dir, 'bundle');
const members = etcdMembers({ cwd: dir, bundle: out });

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdPki(args: readonly string[]): Promise<string> {
  const result = await run(process.execPath, [CLI, ...args], { cwd: dir });
  expect(result.code, `etcd-pki ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}

const file = (path: string) => readFileSync(join(out, path));

/** etcdctl with the given credential files (bundle paths), nothing from the environment but PATH. */
function etcdctlWith(cert: string, key: string, endpoints = ENDPOINTS) {
  return etcdctl(
    [
      '--dial-timeout=2s',
      '--command-timeout=4s',
      `--endpoints=${endpoints}`,
      `--cacert=${join(out, 'etcdctl/ca.pem')}`,
      `--cert=${cert}`,
      `--key=${key}`,
      'put',
      'trust-e2e',
      String(Date.now()),
    ],
    { cwd: dir, env: { ETCDCTL_API: '3', PATH: process.env.PATH ?? '' } },
  );
}

/**
 * One HTTP/1.1 GET on a new TLS connection with the given client certificate: the status line,
 * or the error that ended it (a refused certificate ends the handshake: "bad certificate").
 */
function get(ip: string, port: number, path: string, cert: Buffer, key: Buffer): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port, cert, key, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    let answer = '';
    socket.setTimeout(4000, () => (socket.destroy(), resolve({ error: 'timeout' })));
    socket.once('secureConnect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${ip}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) (socket.destroy(), resolve({ status: Number(status[1]) }));
    });
    socket.once('error', (error) => resolve({ error: error.message }));
    socket.once('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve(status ? { status: Number(status[1]) } : { error: answer === '' ? 'closed without an answer' : answer.slice(0, 80) });
    });
  });
}

/** A KV range through the member's own gRPC gateway, which dials its client port with the server certificate. */
function gatewayRange(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ key: Buffer.from('trust-e2e').toString('base64') });
    const req = request(
      {
        host: ip,
        port: 2379,
        path: '/v3/kv/range',
        method: 'POST',
        agent: false,
        ca: file('etcdctl/ca.pem'),
        cert: file('etcdctl/etcdctl.pem'),
        key: file('etcdctl/etcdctl-key.pem'),
        timeout: 4000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitHealthy(): Promise<void> {
  await members.waitUntil(
    async () => {
      const r = await etcdctl(
        [
          '--dial-timeout=2s',
          '--command-timeout=3s',
          `--endpoints=${ENDPOINTS}`,
          `--cacert=${join(out, 'etcdctl/ca.pem')}`,
          `--cert=${join(out, 'etcdctl/etcdctl.pem')}`,
          `--key=${join(out, 'etcdctl/etcdctl-key.pem')}`,
          'endpoint',
          'health',
        ],
        { cwd: dir, env: { ETCDCTL_API: '3', PATH: process.env.PATH ?? '' } },
      );
      return {
        ready: r.status === 0 && ((r.stdout + r.stderr).match(/is healthy/g) ?? []).length === MEMBERS.length,
        output: r.stdout + r.stderr,
      };
    },
    { what: 'healthy', timeoutMs: 40_000 },
  );
}

const rejectedLines = () =>
  [...members].flatMap(([name, m]) =>
    m.log
      .split('\n')
      .filter((l) => l.includes('rejected connection'))
      .map((l) => `${name}: ${l}`),
  );
const pidsOf = () => Object.fromEntries([...members].map(([name, m]) => [name, m.child.pid]));

describe('each certificate works only where it belongs, on a live etcd 3.4 cluster (trust separate, the default)', () => {
  let pids: Record<string, number | undefined>;

  beforeAll(async () => {
    expect(ETCD, 'etcd is not installed (scripts/install-test-deps.sh)').not.toBe('');
    expect(ETCDCTL, 'etcdctl is not installed').not.toBe('');
    for (const m of MEMBERS) expect(await listening(m.ip, 2379), `${m.ip}:2379 is taken (another run?)`).toBe(false);
    mkdirSync(join(dir, 'data'));
    const printed = await etcdPki([
      'cluster-bundle',
      ...MEMBERS.flatMap((m) => ['-member', `${m.name}=${m.ip}`]),
      '-out',
      out,
      '-pki-dir',
      `${out}/{name}`,
      '-data-dir',
      `${dir}/data/{name}.etcd`,
      '-token',
      'trust-e2e',
    ]);
    expect(printed).toContain('trust separate');
    for (const m of MEMBERS) members.start(m.name);
    await waitHealthy();
    pids = pidsOf();
  }, 90_000);

  it('is healthy, serves through its own gRPC gateway, and etcd logged no rejected connection of its own', async () => {
    expect((await etcdctlWith(join(out, 'etcdctl/etcdctl.pem'), join(out, 'etcdctl/etcdctl-key.pem'))).status).toBe(0);
    for (const m of MEMBERS) expect(await gatewayRange(m.ip), m.name).toBe(200);
    // Heartbeats, elections and the gateway's own dials have run for a while by now.
    await sleep(1500);
    expect(rejectedLines()).toEqual([]);
  });

  it("refuses etcdctl's client certificate on :2380 of every member (GET /members, /raft/probing)", async () => {
    const cert = file('etcdctl/etcdctl.pem');
    const key = file('etcdctl/etcdctl-key.pem');
    for (const m of MEMBERS) {
      for (const path of ['/members', '/raft/probing']) {
        const answer = await get(m.ip, 2380, path, cert, key);
        expect(answer, `${m.name}:2380${path}`).toHaveProperty('error');
      }
    }
    // The same request with a peer certificate is answered: the probe can tell.
    expect(await get(MEMBERS[1].ip, 2380, '/members', file('etcd1/etcd1-peer.pem'), file('etcd1/etcd1-peer-key.pem'))).toEqual({
      status: 200,
    });
    // And a server certificate (the client CA's, with client auth) is no peer either.
    expect(await get(MEMBERS[1].ip, 2380, '/members', file('etcd1/etcd1.pem'), file('etcd1/etcd1-key.pem'))).toHaveProperty('error');
    const refused = rejectedLines().filter((l) => l.includes('unknown authority'));
    expect(refused.length).toBeGreaterThanOrEqual(MEMBERS.length * 2);
  });

  it("refuses a member's peer certificate on :2379: etcdctl put fails", async () => {
    for (const m of MEMBERS) {
      const put = await etcdctlWith(
        join(out, `${m.name}/${m.name}-peer.pem`),
        join(out, `${m.name}/${m.name}-peer-key.pem`),
        `https://${m.ip}:2379`,
      );
      expect(put.status, `${m.name}: ${put.stdout}`).not.toBe(0);
    }
    expect((await etcdctlWith(join(out, 'etcdctl/etcdctl.pem'), join(out, 'etcdctl/etcdctl-key.pem'))).status).toBe(0);
  }, 60_000);

  it('revoke -client etcdctl: the old certificate is refused at its next connection, the new one works, no member restarted', async () => {
    const oldCert = join(dir, 'old-etcdctl.pem');
    const oldKey = join(dir, 'old-etcdctl-key.pem');
    await run('cp', [join(out, 'etcdctl/etcdctl.pem'), oldCert]);
    await run('cp', [join(out, 'etcdctl/etcdctl-key.pem'), oldKey]);
    const before = rejectedLines().length;
    const printed = await etcdPki(['revoke', '-out', out, '-client', 'etcdctl', '-reason', 'keyCompromise']);
    expect(printed).toMatch(/revoked client etcdctl: serial \d+/);
    expect(printed).toContain('no restart');
    const put = await etcdctlWith(oldCert, oldKey);
    expect(put.status, put.stdout).not.toBe(0);
    const revokedLog = rejectedLines()
      .slice(before)
      .filter((l) => l.includes('revoked'));
    expect(revokedLog.length).toBeGreaterThan(0);
    expect(file('etcdctl/etcdctl.pem').equals(readFileSync(oldCert))).toBe(false);
    expect(file('etcdctl/etcdctl-key.pem').equals(readFileSync(oldKey))).toBe(false);
    expect((await etcdctlWith(join(out, 'etcdctl/etcdctl.pem'), join(out, 'etcdctl/etcdctl-key.pem'))).status).toBe(0);
    for (const m of MEMBERS) expect(await gatewayRange(m.ip), m.name).toBe(200);
    await waitHealthy();
    expect(pidsOf()).toEqual(pids);
    for (const [name, m] of members) expect(m.exited, name).toBe(false);
  }, 60_000);
});
