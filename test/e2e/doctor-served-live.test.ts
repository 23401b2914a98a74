// Issue 16, items 9 and 10, on a real etcd 3.4 member at 127.0.16.20 (only that address), started
// from cluster-bundle's etcd.conf with -pki-dir pointing at its bundle directory: writing a
// certificate there is deploying it (etcd reads it at every handshake). doctor -endpoint names
// what is wrong with what the member serves: an expired certificate as expired (fix: renew), a
// certificate without the endpoint's IP as such, a foreign CA as an unknown authority, and a
// server certificate without client auth as the cause of the gateway's 503 (etcd logs "rejected
// connection"), without calling our client certificate fine in the same run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { ETCD, etcdMembers, listening } from '../support/etcd.js';
import { run } from '../support/run.js';

const IP = '127.0.16.20';
const URL = `https://${IP}:2379`;
const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-e2e-served-'));
const out = join(dir, 'bundle');
const foreign = join(dir, 'foreign');
const members = etcdMembers({ cwd: dir, bundle: out });

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdPki(args: readonly string[]): Promise<{ status: number; stdout: string; output: string }> {
  const result = await run(process.execPath, [CLI, ...args], { cwd: dir });
  return { status: result.code, stdout: result.stdout, output: result.stderr + result.stdout };
}

interface Finding {
  check: string;
  severity: string;
  evidence: string;
  fix?: string;
}

async function doctor(ca = join(out, 'etcdctl', 'ca.pem')): Promise<Finding[]> {
  const client = join(out, 'etcdctl');
  const result = await etcdPki([
    'doctor',
    '-endpoint',
    URL,
    '-cacert',
    ca,
    '-cert',
    join(client, 'etcdctl.pem'),
    '-key',
    join(client, 'etcdctl-key.pem'),
    '--json',
  ]);
  return (JSON.parse(result.stdout) as { findings: Finding[] }).findings;
}
const about = (findings: Finding[], check: string) => findings.filter((f) => f.check === check);

/** Issues a certificate for s1 from the bundle's CA with these hosts and usages, and deploys it. */
async function deploy(hosts: readonly string[], usages: readonly string[], expiry = '8760h'): Promise<void> {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ signing: { default: { expiry, usages } } }));
  writeFileSync(join(dir, 'csr.json'), JSON.stringify({ CN: 's1', hosts, key: { algo: 'ecdsa', size: 256 } }));
  const issued = await etcdPki([
    'gencert',
    '-ca',
    join(out, 'ca', 'ca.pem'),
    '-ca-key',
    join(out, 'ca', 'ca-key.pem'),
    '-config',
    join(dir, 'config.json'),
    join(dir, 'csr.json'),
  ]);
  expect(issued.status, issued.output).toBe(0);
  const { cert, key } = JSON.parse(issued.stdout) as { cert: string; key: string };
  writeFileSync(join(out, 's1', 's1-key.pem'), key, { mode: 0o600 });
  writeFileSync(join(out, 's1', 's1.pem'), cert);
}

function gatewayStatus(): Promise<number> {
  const at = (file: string) => readFileSync(join(out, 'etcdctl', file));
  return new Promise((resolve) => {
    const req = request(
      {
        host: IP,
        port: 2379,
        path: '/v3/kv/range',
        method: 'POST',
        agent: false,
        ca: at('ca.pem'),
        cert: at('etcdctl.pem'),
        key: at('etcdctl-key.pem'),
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(JSON.stringify({ key: Buffer.from('k').toString('base64') }));
  });
}

beforeAll(async () => {
  expect(ETCD, 'etcd is not on PATH: bash scripts/install-test-deps.sh').not.toBe('');
  expect(await listening(IP, 2379), `something already listens on ${IP}:2379`).toBe(false);
  for (const [at, extra] of [
    [out, ['-pki-dir', join(out, '{name}'), '-data-dir', join(dir, 'data', '{name}')]],
    [foreign, []],
  ] as const) {
    const made = await etcdPki(['cluster-bundle', '-member', `s1=${IP}`, ...extra, '-out', at, '--quiet']);
    expect(made.status, made.output).toBe(0);
  }
  members.start('s1');
  await members.waitUntil(async () => ({ ready: (await gatewayStatus()) === 200, output: '' }), { what: 'serving' });
}, 60_000);

describe('doctor -endpoint names what is wrong with the served certificate (issue 16, items 9 and 10)', () => {
  it('a clean member: no FAIL', async () => {
    expect((await doctor()).filter((f) => f.severity === 'FAIL')).toEqual([]);
  });

  it('a foreign CA: unknown authority, with the CA fix', async () => {
    const [chain] = about(await doctor(join(foreign, 'etcdctl', 'ca.pem')), 'live.chain');
    expect(chain!.severity).toBe('FAIL');
    expect(chain!.evidence).toContain('signed by unknown authority');
  });

  it('a certificate without the endpoint IP: live.names, not the chain', async () => {
    await deploy(['127.0.0.99', 'localhost'], ['signing', 'key encipherment', 'server auth', 'client auth']);
    const findings = await doctor();
    expect(about(findings, 'live.names')[0]!.severity).toBe('FAIL');
    expect(about(findings, 'live.names')[0]!.evidence).toContain(`not ${IP}`);
    expect(about(findings, 'live.chain').filter((f) => f.severity === 'FAIL')).toEqual([]);
  });

  it('an expired certificate: time.expired with renew, not the chain', async () => {
    await deploy([IP, '127.0.0.1'], ['signing', 'key encipherment', 'server auth', 'client auth'], '1s');
    await sleep(2500);
    const findings = await doctor();
    const [expired] = about(findings, 'time.expired');
    expect(expired!.severity).toBe('FAIL');
    expect(expired!.fix).toContain('etcd-pki renew');
    expect(expired!.fix).toContain('no restart');
    expect(expired!.fix).not.toMatch(/then restart|restart the member/);
    expect(findings.filter((f) => f.severity === 'FAIL' && /unknown authority/.test(f.evidence))).toEqual([]);
  });

  it('a server certificate without client auth: the gateway 503 is named with its cause; our client certificate is not called fine', async () => {
    await deploy([IP, '127.0.0.1'], ['signing', 'key encipherment', 'server auth']);
    // The gateway dials its connection when etcd starts (and keeps it): restarted with this
    // certificate, the member refuses its own gateway, and /v3/... answers 503.
    await members.stop('s1');
    members.start('s1');
    await members.waitUntil(async () => ({ ready: (await gatewayStatus()) === 503, output: members.get('s1').log.slice(-2000) }), {
      what: 'the gateway answering 503',
    });
    await members.waitUntil(
      async () => ({ ready: members.get('s1').log.includes('rejected connection'), output: members.get('s1').log.slice(-2000) }),
      { what: 'logged a rejected connection' },
    );
    const findings = await doctor();
    const [server] = about(findings, 'roles.server');
    expect(server!.severity).toBe('FAIL');
    expect(server!.evidence).toContain('no client auth');
    expect(server!.evidence).toContain('503');
    expect(about(findings, 'live.client-cert').map((f) => f.severity)).not.toContain('OK');
  });
});
