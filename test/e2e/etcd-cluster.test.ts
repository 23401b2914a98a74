// Issue 5, "How it is shown": a real etcd 3.4 cluster made from one cluster-bundle command. Three
// members on 127.0.0.11-13 (ports 2379/2380 on each), each started only from its generated
// etcd.conf, full mTLS on client and peer ports; etcdctl configured only by the generated
// etcdctl.env; then add-member for 127.0.0.14. Only 127.0.0.0/8 is ever used; every process
// started here is killed in afterAll (and on exit, should the worker die first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdPki } from '../support/cli.js';
import { ETCD, ETCDCTL, etcdctl as runEtcdctl, etcdMembers, listening } from '../support/etcd.js';
import { readEnvFile } from '../support/env-file.js';

const MEMBERS = [
  { name: 'etcd1', ip: '127.0.0.11' },
  { name: 'etcd2', ip: '127.0.0.12' },
  { name: 'etcd3', ip: '127.0.0.13' },
];
const ADDED = { name: 'etcd4', ip: '127.0.0.14' };
const YAML_MEMBER = { name: 'solo', ip: '127.0.0.15' };
const clientUrl = (ip: string) => `https://${ip}:2379`;

const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-e2e-cluster-'));
const bundle = join(dir, 'bundle');
const members = etcdMembers({ cwd: dir, bundle });

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * etcdctl with only the generated client environment. `endpoint` narrows ETCDCTL_ENDPOINTS to one
 * of the URLs the file lists (etcdctl refuses --endpoints next to ETCDCTL_ENDPOINTS). Commands
 * that act through a client use one endpoint: etcdctl 3.4 dials every endpoint it is given and,
 * exiting, drops handshakes still in progress, which members log as `rejected connection ... EOF`.
 */
async function etcdctl(args: string[], options: { endpoint?: string; env?: Record<string, string>; envFile?: string } = {}) {
  const env = options.env ?? readEnvFile(options.envFile ?? join(bundle, 'etcdctl', 'etcdctl.env'));
  if (options.endpoint !== undefined) {
    expect(env.ETCDCTL_ENDPOINTS!.split(',')).toContain(options.endpoint);
    env.ETCDCTL_ENDPOINTS = options.endpoint;
  }
  return runEtcdctl(args, { cwd: dir, env });
}

/** Polls `etcdctl endpoint health` (one client per endpoint) until every endpoint is healthy. */
async function waitHealthy(count: number, envFile?: string): Promise<string> {
  return members.waitUntil(
    async () => {
      const result = await etcdctl(['endpoint', 'health', '--dial-timeout=2s', '--command-timeout=3s'], envFile ? { envFile } : {});
      const output = result.stdout + result.stderr;
      return { ready: result.status === 0 && (output.match(/is healthy/g) ?? []).length === count, output };
    },
    { what: `${count} healthy members` },
  );
}

/** Waits until a member's log shows `text` (its pipe may deliver a line after etcdctl exits). */
async function logShows(name: string, text: string): Promise<string> {
  const deadline = Date.now() + 3000;
  while (!members.get(name).log.includes(text) && Date.now() < deadline) await sleep(20);
  return members.get(name).log;
}

const rejectedConnections = () =>
  [...members].flatMap(([name, m]) =>
    m.log
      .split('\n')
      .filter((l) => l.includes('rejected connection'))
      .map((l) => `${name}: ${l}`),
  );

describe('a real etcd 3.4 cluster from cluster-bundle', () => {
  let logsAtNegativeTests = new Map<string, number>();

  beforeAll(async () => {
    expect(ETCD, 'etcd is not installed (scripts/install-test-deps.sh)').not.toBe('');
    expect(ETCDCTL, 'etcdctl is not installed').not.toBe('');
    for (const { ip } of [...MEMBERS, ADDED, YAML_MEMBER]) {
      for (const port of [2379, 2380]) expect(await listening(ip, port), `${ip}:${port} is already in use`).toBe(false);
    }
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
        'etcd-pki-e2e',
        '--quiet',
      ],
      { cwd: dir },
    );
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    for (const { name } of MEMBERS) members.start(name);
    await waitHealthy(MEMBERS.length);
  });

  it('starts every member from its etcd.conf alone, with TLS and client certificates on both ports', async () => {
    await sleep(100);
    const env = readEnvFile(join(bundle, 'etcd1', 'etcd.conf'));
    expect(env).toMatchObject({
      ETCD_LISTEN_CLIENT_URLS: 'https://127.0.0.11:2379',
      ETCD_LISTEN_PEER_URLS: 'https://127.0.0.11:2380',
      ETCD_CLIENT_CERT_AUTH: 'true',
      ETCD_PEER_CLIENT_CERT_AUTH: 'true',
      ETCD_INITIAL_CLUSTER: MEMBERS.map((m) => `${m.name}=https://${m.ip}:2380`).join(','),
    });
    for (const { name } of MEMBERS) {
      const log = members.get(name).log;
      expect(log).not.toContain('unrecognized environment variable');
      expect(log).toMatch(/ClientTLS: cert = .*etcd[123]\.pem.*client-cert-auth = true/);
      expect(log).toMatch(/peerTLS: cert = .*-peer\.pem.*client-cert-auth = true/);
    }
  });

  it('reports all members healthy through the generated etcdctl.env', async () => {
    const health = await waitHealthy(MEMBERS.length);
    for (const { ip } of MEMBERS) expect(health).toContain(`${clientUrl(ip)} is healthy`);
  });

  it('reads on one member what was put on another', async () => {
    const put = await etcdctl(['put', '/etcd-pki/e2e', 'written-on-etcd1'], { endpoint: clientUrl('127.0.0.11') });
    expect(put.stderr).toBe('');
    expect(put.stdout.trim()).toBe('OK');
    const get = await etcdctl(['get', '/etcd-pki/e2e', '--print-value-only'], { endpoint: clientUrl('127.0.0.13') });
    expect(get.stdout.trim()).toBe('written-on-etcd1');
  });

  it('lists every member with https peer and client URLs', async () => {
    const list = await etcdctl(['member', 'list', '-w', 'json'], { endpoint: clientUrl('127.0.0.12') });
    const members = (JSON.parse(list.stdout) as { members: Array<{ name: string; peerURLs: string[]; clientURLs: string[] }> }).members;
    expect(members.map((m) => [m.name, m.peerURLs, m.clientURLs]).sort()).toEqual(
      MEMBERS.map((m) => [m.name, [`https://${m.ip}:2380`], [clientUrl(m.ip)]]),
    );
  });

  it('has no rejected connection in any member log', async () => {
    await sleep(100);
    expect(rejectedConnections()).toEqual([]);
  });

  it('refuses a client without a certificate', async () => {
    logsAtNegativeTests = new Map([...members].map(([name, m]) => [name, m.log.length]));
    const env = readEnvFile(join(bundle, 'etcdctl', 'etcdctl.env'));
    delete env.ETCDCTL_CERT;
    delete env.ETCDCTL_KEY;
    const result = await etcdctl(['get', '/etcd-pki/e2e', '--dial-timeout=1s', '--command-timeout=2s'], {
      env,
      endpoint: clientUrl('127.0.0.11'),
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('written-on-etcd1');
    expect(await logShows('etcd1', "client didn't provide a certificate")).toContain("client didn't provide a certificate");
  });

  it('refuses a client whose certificate is from a foreign CA', async () => {
    const foreign = join(dir, 'foreign');
    expect(etcdPki(['cluster-bundle', '-member', 'other=127.0.0.99', '-out', foreign, '--quiet'], { cwd: dir }).status).toBe(0);
    const env = readEnvFile(join(bundle, 'etcdctl', 'etcdctl.env'));
    env.ETCDCTL_CERT = join(foreign, 'etcdctl', 'etcdctl.pem');
    env.ETCDCTL_KEY = join(foreign, 'etcdctl', 'etcdctl-key.pem');
    const result = await etcdctl(['get', '/etcd-pki/e2e', '--dial-timeout=1s', '--command-timeout=2s'], {
      env,
      endpoint: clientUrl('127.0.0.12'),
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('written-on-etcd1');
    expect(await logShows('etcd2', 'certificate signed by unknown authority')).toContain('certificate signed by unknown authority');
  });

  it('adds a fourth member with add-member and etcdctl member add: four healthy', async () => {
    const added = etcdPki(['add-member', '-out', bundle, '-member', `${ADDED.name}=${ADDED.ip}`, '--json'], { cwd: dir });
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const { command } = JSON.parse(added.stdout) as { command: string[] };
    expect(command).toEqual(['etcdctl', 'member', 'add', 'etcd4', `--peer-urls=https://${ADDED.ip}:2380`]);
    const conf = readEnvFile(join(bundle, ADDED.name, 'etcd.conf'));
    expect(conf.ETCD_INITIAL_CLUSTER_STATE).toBe('existing');

    // The command exactly as printed, with the (updated) etcdctl.env on one running member.
    // etcd 3.4's strict reconfiguration check refuses a member add ("unhealthy cluster") until
    // every member has been in touch with the leader within the last few seconds, which a loaded
    // machine can delay; an operator retries, and so does the test.
    let memberAdd = await etcdctl(command.slice(1), { endpoint: clientUrl('127.0.0.11') });
    for (let attempt = 0; attempt < 20 && memberAdd.stderr.includes('unhealthy cluster'); attempt++) {
      await sleep(500);
      memberAdd = await etcdctl(command.slice(1), { endpoint: clientUrl('127.0.0.11') });
    }
    expect(memberAdd.stderr).toBe('');
    expect(memberAdd.stdout).toContain('added to cluster');
    // etcd prints the ETCD_INITIAL_CLUSTER the new member needs: the one add-member wrote.
    const printed = /ETCD_INITIAL_CLUSTER="([^"]*)"/.exec(memberAdd.stdout)?.[1]?.split(',').sort();
    expect(printed).toEqual(conf.ETCD_INITIAL_CLUSTER!.split(',').sort());

    members.start(ADDED.name);
    const health = await waitHealthy(4);
    for (const { ip } of [...MEMBERS, ADDED]) expect(health).toContain(`${clientUrl(ip)} is healthy`);
    const get = await etcdctl(['get', '/etcd-pki/e2e', '--print-value-only'], { endpoint: clientUrl(ADDED.ip) });
    expect(get.stdout.trim()).toBe('written-on-etcd1');
  });

  it('has no rejected connection but the two refused clients', async () => {
    await sleep(100);
    const since = [...members].flatMap(([name, m]) =>
      m.log
        .slice(logsAtNegativeTests.get(name) ?? 0)
        .split('\n')
        .filter((line) => line.includes('rejected connection'))
        .map((line) => `${name}: ${line}`),
    );
    expect(since.length).toBeGreaterThan(0);
    expect(since.filter((line) => !/didn't provide a certificate|signed by unknown authority/.test(line))).toEqual([]);
  });

  it('also starts a member from its etcd.yaml (etcd --config-file)', async () => {
    const solo = join(dir, 'solo');
    const made = etcdPki(
      [
        'cluster-bundle',
        '-member',
        `${YAML_MEMBER.name}=${YAML_MEMBER.ip}`,
        '-out',
        solo,
        '-pki-dir',
        `${solo}/{name}`,
        '-data-dir',
        `${dir}/data/{name}.etcd`,
        '--quiet',
      ],
      { cwd: dir },
    );
    expect(made.status).toBe(0);
    members.start(YAML_MEMBER.name, { env: {}, args: ['--config-file', join(solo, YAML_MEMBER.name, 'etcd.yaml')] });
    await waitHealthy(1, join(solo, 'etcdctl', 'etcdctl.env'));
    expect(members.get(YAML_MEMBER.name).log).not.toContain('rejected connection');
  });
});
