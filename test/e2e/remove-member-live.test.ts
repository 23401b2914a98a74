// Issue 17, "Done means" 3, on a real etcd 3.4 cluster of four members on 127.0.17.11-14 (and
// 127.0.17.15 for the replacement; only those addresses), each member's files installed from the
// bundle into its own node directory, and installed again in the order remove-member prints:
// the etcdctl member remove it prints -> member list shows three -> the new CRLs on the others:
// etcd4's peer certificate is refused by them, the clients' endpoints no longer list it, no member
// restarted; then add-member etcd4 at a new address joins. Every process started here is killed
// in afterAll (and on exit).
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { readEnvFile } from '../support/env-file.js';
import { ETCD, ETCDCTL, etcdctl, etcdMembers, listening } from '../support/etcd.js';
import { run } from '../support/run.js';

const MEMBERS = [
  { name: 'etcd1', ip: '127.0.17.11' },
  { name: 'etcd2', ip: '127.0.17.12' },
  { name: 'etcd3', ip: '127.0.17.13' },
  { name: 'etcd4', ip: '127.0.17.14' },
] as const;
const REPLACEMENT_IP = '127.0.17.15';
const STAYING = MEMBERS.slice(0, 3);

const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-e2e-remove-'));
const out = join(dir, 'bundle');
// The nodes: each member's and client's installed files, as install.sh would put them.
const nodes = join(dir, 'nodes');
const members = etcdMembers({ cwd: dir, bundle: nodes });

/** Installs an owner's whole directory from the bundle, or only the named files. */
function install(owner: string, files?: readonly string[]): void {
  if (files === undefined) cpSync(join(out, owner), join(nodes, owner), { recursive: true });
  else for (const file of files) copyFileSync(join(out, owner, file), join(nodes, owner, file));
}

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdPki(args: readonly string[]): Promise<string> {
  const result = await run(process.execPath, [CLI, ...args], { cwd: dir });
  expect(result.code, `etcd-pki ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}

/** etcdctl as the bundle's etcdctl.env sets it up (its endpoints), plus the given arguments. */
function etcdctlAsClient(args: readonly string[]) {
  const env = readEnvFile(join(nodes, 'etcdctl/etcdctl.env'));
  return etcdctl(['--dial-timeout=3s', '--command-timeout=5s', ...args], {
    cwd: dir,
    env: { ...env, ETCDCTL_API: '3', PATH: process.env.PATH ?? '' },
  });
}

async function waitHealthy(count: number): Promise<void> {
  await members.waitUntil(
    async () => {
      const r = await etcdctlAsClient(['endpoint', 'health']);
      const text = r.stdout + r.stderr;
      return { ready: r.status === 0 && (text.match(/is healthy/g) ?? []).length === count, output: text };
    },
    { what: `healthy with ${count} members`, timeoutMs: 40_000 },
  );
}

/** Whether a member's peer port answers GET /members for this client certificate. */
function peerAccepts(ip: string, cert: Buffer, key: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port: 2380, cert, key, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    socket.setTimeout(4000, () => (socket.destroy(), resolve(false)));
    socket.once('secureConnect', () => socket.write(`GET /members HTTP/1.1\r\nHost: ${ip}\r\nConnection: close\r\n\r\n`));
    socket.once('data', (chunk: Buffer) => (socket.destroy(), resolve(chunk.toString('latin1').startsWith('HTTP/1.1 200'))));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

const pidsOf = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, members.get(name).child.pid]));

describe('remove-member, then a replacement under the same name, on a live four-member etcd 3.4 cluster', () => {
  let oldPeer: { cert: Buffer; key: Buffer };

  beforeAll(async () => {
    expect(ETCD, 'etcd is not installed (scripts/install-test-deps.sh)').not.toBe('');
    expect(ETCDCTL, 'etcdctl is not installed').not.toBe('');
    for (const ip of [...MEMBERS.map((m) => m.ip), REPLACEMENT_IP])
      expect(await listening(ip, 2379), `${ip}:2379 is taken (another run?)`).toBe(false);
    mkdirSync(join(dir, 'data'));
    await etcdPki([
      'cluster-bundle',
      ...MEMBERS.flatMap((m) => ['-member', `${m.name}=${m.ip}`]),
      '-out',
      out,
      '-pki-dir',
      `${nodes}/{name}`,
      '-data-dir',
      `${dir}/data/{name}.etcd`,
      '-token',
      'remove-e2e',
    ]);
    for (const owner of [...MEMBERS.map((m) => m.name), 'etcdctl']) install(owner);
    for (const m of MEMBERS) members.start(m.name);
    await waitHealthy(4);
    oldPeer = { cert: readFileSync(join(nodes, 'etcd4/etcd4-peer.pem')), key: readFileSync(join(nodes, 'etcd4/etcd4-peer-key.pem')) };
    expect(await peerAccepts(MEMBERS[0].ip, oldPeer.cert, oldPeer.key), 'the probe tells an accepted peer').toBe(true);
  }, 90_000);

  it('removes etcd4: member list shows three, its peer certificate is refused by the others, the endpoints drop it, nobody restarted', async () => {
    const pids = pidsOf(STAYING.map((m) => m.name));
    const printed = await etcdPki(['remove-member', '-out', out, '-member', 'etcd4', '-endpoint', `https://${MEMBERS[0].ip}:2379`]);
    const command = /etcdctl member remove ([0-9a-f]+)\n/.exec(printed);
    expect(command, printed).not.toBeNull();
    expect(printed.indexOf('member remove')).toBeLessThan(printed.indexOf('client-crl.pem'));
    // Its files are removed (the apply path deletes files, never directories).
    expect(existsSync(join(out, 'etcd4')) ? readdirSync(join(out, 'etcd4')) : []).toEqual([]);
    expect(readEnvFile(join(out, 'etcdctl/etcdctl.env')).ETCDCTL_ENDPOINTS).toBe(STAYING.map((m) => `https://${m.ip}:2379`).join(','));
    for (const m of STAYING) expect(readFileSync(join(out, m.name, 'etcd.conf'), 'utf8')).not.toContain('etcd4');

    // Step 1, as printed. etcd's strict reconfiguration check refuses ("unhealthy cluster") until
    // the members have been connected for 5 s: a just-started cluster, here.
    let removed = await etcdctlAsClient(['member', 'remove', command![1]!]);
    for (let i = 0; i < 20 && removed.stderr.includes('unhealthy cluster'); i++) {
      await sleep(1000);
      removed = await etcdctlAsClient(['member', 'remove', command![1]!]);
    }
    expect(removed.status, removed.stdout + removed.stderr).toBe(0);
    // Step 2: etcd4 stops (a removed 3.4 member shuts itself down; stop it in case).
    await members.stop('etcd4');
    rmSync(join(nodes, 'etcd4'), { recursive: true, force: true });
    // Steps 3 and 4: the CRLs and configuration on the others, the client's env file.
    for (const m of STAYING) install(m.name, ['client-crl.pem', 'peer-crl.pem', 'etcd.conf', 'etcd.yaml']);
    install('etcdctl', ['etcdctl.env']);
    await waitHealthy(3);
    const list = await etcdctlAsClient(['member', 'list']);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(', ')[2])
        .sort(),
    ).toEqual(['etcd1', 'etcd2', 'etcd3']);
    for (const m of STAYING) expect(await peerAccepts(m.ip, oldPeer.cert, oldPeer.key), m.name).toBe(false);
    const revokedLines = STAYING.flatMap((m) =>
      members
        .get(m.name)
        .log.split('\n')
        .filter((l) => l.includes('rejected connection') && l.includes('revoked')),
    );
    expect(revokedLines.length).toBeGreaterThanOrEqual(STAYING.length);
    expect(pidsOf(STAYING.map((m) => m.name))).toEqual(pids);
  }, 90_000);

  it('then a replacement etcd4 at a new address joins with new certificates', async () => {
    rmSync(join(dir, 'data', 'etcd4.etcd'), { recursive: true, force: true });
    const printed = await etcdPki(['add-member', '-out', out, '-member', `etcd4=${REPLACEMENT_IP}`]);
    const add = /etcdctl member add etcd4 --peer-urls=(\S+)/.exec(printed);
    expect(add?.[1]).toBe(`https://${REPLACEMENT_IP}:2380`);
    const added = await etcdctlAsClient(['member', 'add', 'etcd4', `--peer-urls=${add![1]!}`]);
    expect(added.status, added.stdout + added.stderr).toBe(0);
    expect(readFileSync(join(out, 'etcd4/etcd4-peer.pem')).equals(oldPeer.cert)).toBe(false);
    install('etcd4');
    install('etcdctl', ['etcdctl.env']);
    members.start('etcd4');
    await waitHealthy(4);
    const list = await etcdctlAsClient(['member', 'list']);
    expect(list.stdout).toContain(`etcd4, https://${REPLACEMENT_IP}:2380`);
    expect(list.stdout.trim().split('\n')).toHaveLength(4);
  }, 90_000);
});
