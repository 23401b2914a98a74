// Issue 16 items 1, 2 and 3, on real etcd 3.4 members at 127.0.16.1 and 127.0.16.2 (only those).
// A member is installed by its own install.sh (OWNER = the test's user, into a temp directory:
// -pki-dir points there) and runs from the installed etcd.conf. After each command, install.sh
// says what the node needs: nothing after renew (etcd reads its certificate and key at every
// handshake, shown live), a restart of this member only, one member at a time, after a trust
// change. At no moment does install.sh leave a key beside a certificate that is not its own, and
// replaced keys do not pile up. etcd.yaml runs the same etcd as etcd.conf: both serve the same.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { ETCD, etcdMembers, listening } from '../support/etcd.js';
import { readEnvFile } from '../support/env-file.js';
import { run } from '../support/run.js';

const NODE_IP = '127.0.16.1';
const YAML_IP = '127.0.16.2';
const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-e2e-install-'));
const out = join(dir, 'bundle');
const yamlOut = join(dir, 'bundle-yaml');
const node = join(dir, 'node');
const pki = join(node, 'pki');
const members = etcdMembers({ cwd: dir, bundle: out });
const me = `${userInfo().username}:${(await run('id', ['-gn'])).stdout.trim()}`;

afterAll(async () => {
  await members.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdPkiOk(args: readonly string[]): Promise<string> {
  const result = await run(process.execPath, [CLI, ...args], { cwd: dir });
  expect(result.code, `etcd-pki ${args.join(' ')}\n${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout + result.stderr;
}

/**
 * Runs n1's install.sh with every command that changes what a path holds (mv, cp, ln, rm)
 * wrapped: after each, the shim records the server and peer certificate and key as a path would
 * read now, and the test checks each recorded state: a handshake then must find a certificate
 * that is its key's.
 */
async function install(): Promise<{ output: string; mismatches: string[]; pairs: number }> {
  const shims = join(dir, 'shims');
  mkdirSync(shims, { recursive: true });
  const log = join(dir, 'states.log');
  writeFileSync(log, '');
  const record = `
for pair in n1 n1-peer; do
  c="${pki}/$pair.pem"; k="${pki}/$pair-key.pem"
  if [ -e "$c" ] && [ -e "$k" ]; then
    { echo "@@STATE $pair after $(basename "$0") $*"; cat "$c"; echo "@@KEY"; cat "$k"; } >> "${log}"
  fi
done`;
  for (const tool of ['mv', 'cp', 'ln', 'rm']) {
    const real = (await run('sh', ['-c', `command -v ${tool}`])).stdout.trim();
    writeFileSync(join(shims, tool), `#!/bin/sh\n"${real}" "$@"\nstatus=$?\n${record}\nexit $status\n`);
    chmodSync(join(shims, tool), 0o755);
  }
  const result = await run('sh', [join(out, 'n1', 'install.sh')], {
    cwd: dir,
    env: { PATH: `${shims}:${process.env.PATH}`, OWNER: me, ETCD_CONF: join(node, 'etcd.conf'), ETCD_YAML: join(node, 'etcd.yaml') },
  });
  expect(result.code, result.stderr + result.stdout).toBe(0);
  const mismatches: string[] = [];
  const checked = new Map<string, boolean>();
  for (const state of readFileSync(log, 'utf8').split('@@STATE ').slice(1)) {
    const [heading, rest] = [state.slice(0, state.indexOf('\n')), state.slice(state.indexOf('\n') + 1)];
    const [cert, key] = rest.split('@@KEY\n') as [string, string];
    const id = cert + key;
    if (!checked.has(id)) checked.set(id, new X509Certificate(cert).checkPrivateKey(createPrivateKey(key)));
    if (!checked.get(id)) mismatches.push(heading);
  }
  return { output: result.stdout, mismatches, pairs: checked.size };
}

/** The `next:` part of install.sh's output. */
const nextOf = (output: string) => output.slice(output.lastIndexOf('next:'));

function served(ip: string): Promise<X509Certificate> {
  const at = (file: string) => readFileSync(join(out, 'etcdctl', file));
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: ip, port: 2379, ca: at('ca.pem'), cert: at('etcdctl.pem'), key: at('etcdctl-key.pem'), rejectUnauthorized: false },
      () => {
        const raw = socket.getPeerCertificate().raw;
        socket.end();
        resolve(new X509Certificate(raw));
      },
    );
    socket.on('error', reject);
  });
}

/** One request to a member's client port with the client's certificate: its HTTP status and body. */
function fetchFrom(
  ip: string,
  bundle: string,
  path: string,
  method: 'GET' | 'POST',
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const at = (file: string) => readFileSync(join(bundle, 'etcdctl', file));
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: ip,
        port: 2379,
        path,
        method,
        agent: false,
        ca: at('ca.pem'),
        cert: at('etcdctl.pem'),
        key: at('etcdctl-key.pem'),
        timeout: 3000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitHealthy(ip: string, bundle: string): Promise<void> {
  await members.waitUntil(
    async () => {
      const health = await fetchFrom(ip, bundle, '/health', 'GET').catch((error: Error) => ({ status: 0, body: error.message }));
      return { ready: health.status === 200 && health.body.includes('"true"'), output: health.body };
    },
    { what: `${ip} healthy` },
  );
}

beforeAll(async () => {
  expect(ETCD, 'etcd is not on PATH: bash scripts/install-test-deps.sh').not.toBe('');
  for (const ip of [NODE_IP, YAML_IP]) expect(await listening(ip, 2379), `something already listens on ${ip}:2379`).toBe(false);
  await Promise.all([
    // -single-ca: the cases below end with rotate-ca, which rotates a single-CA bundle only.
    etcdPkiOk([
      'cluster-bundle',
      '-single-ca',
      '-member',
      `n1=${NODE_IP}`,
      '-pki-dir',
      pki,
      '-data-dir',
      join(dir, 'data', '{name}'),
      '-owner',
      me,
      '-out',
      out,
      '--quiet',
    ]),
    etcdPkiOk([
      'cluster-bundle',
      '-member',
      `y1=${YAML_IP}`,
      '-pki-dir',
      join(yamlOut, '{name}'),
      '-data-dir',
      join(dir, 'data', '{name}'),
      '-out',
      yamlOut,
      '--quiet',
    ]),
  ]);
}, 60_000);

describe('install.sh on a member, and what it says to do after each command (issue 16, items 1 and 2)', () => {
  it('first install: installs, says to start etcd (not to restart every member), and etcd runs from the installed files', async () => {
    const { output, mismatches } = await install();
    expect(mismatches).toEqual([]);
    const next = nextOf(output);
    expect(next).toContain('systemctl start etcd');
    expect(next).not.toMatch(/restart etcd \(on every/);
    members.start('n1', { env: readEnvFile(join(node, 'etcd.conf')), args: [] });
    await waitHealthy(NODE_IP, out);
  }, 60_000);

  it('after renew -rotate-key: install.sh swaps key and certificate together and says no restart; etcd serves the new certificate at once', async () => {
    const before = await served(NODE_IP);
    await etcdPkiOk(['renew', '-out', out, '-member', 'n1', '-rotate-key']);
    const { output, mismatches, pairs } = await install();
    expect(mismatches).toEqual([]);
    // The old and the new pair of each of the two were seen: the shims did watch the switch.
    expect(pairs).toBeGreaterThanOrEqual(4);
    const next = nextOf(output);
    expect(next).toMatch(/no restart/);
    expect(next).not.toMatch(/systemctl (re)?start/);
    const after = await served(NODE_IP);
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect(after.serialNumber).toBe(new X509Certificate(readFileSync(join(out, 'n1', 'n1.pem'))).serialNumber);
    await waitHealthy(NODE_IP, out);
  }, 60_000);

  it('keeps no replaced private key on the node, and at most one previous generation of the rest', async () => {
    await etcdPkiOk(['renew', '-out', out, '-member', 'n1', '-rotate-key']);
    await install();
    await etcdPkiOk(['renew', '-out', out, '-member', 'n1', '-rotate-key']);
    const { mismatches } = await install();
    expect(mismatches).toEqual([]);
    const everything = (at: string): string[] =>
      readdirSync(at, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? everything(join(at, e.name)).map((f) => `${e.name}/${f}`) : [e.name],
      );
    const files = everything(node);
    expect(files.filter((f) => /\.bak\./.test(f))).toEqual([]);
    // Every key in the node's directory is the live one (no old key kept).
    const keys = files.filter((f) => /-key\.pem/.test(f));
    const liveKeys = new Set(['n1-key.pem', 'n1-peer-key.pem'].map((k) => readFileSync(join(pki, k), 'utf8')));
    for (const key of keys) expect(liveKeys.has(readFileSync(join(node, key), 'utf8')), key).toBe(true);
    await waitHealthy(NODE_IP, out);
  }, 60_000);

  it('after rotate-ca -phase 1: restart this member only, one member at a time, after checking health; etcd 3.4 does not reload its trusted CA', async () => {
    await etcdPkiOk(['rotate-ca', '-phase', '1', '-out', out]);
    const { output } = await install();
    const next = nextOf(output);
    expect(next).toContain('systemctl restart etcd');
    expect(next).toMatch(/one member at a time/);
    expect(next).toContain('endpoint health');
    expect(next).not.toMatch(/every (founding )?member/);
  }, 60_000);
});

describe('etcd.yaml runs the same etcd as etcd.conf (issue 16, item 3)', () => {
  it('a member started with --config-file etcd.yaml serves what one started from etcd.conf serves', async () => {
    members.start('y1', { env: {}, args: ['--config-file', join(yamlOut, 'y1', 'etcd.yaml')] });
    await waitHealthy(YAML_IP, yamlOut);
    await waitHealthy(NODE_IP, out);
    const probes = [
      ['/health', 'GET', undefined],
      ['/version', 'GET', undefined],
      ['/metrics', 'GET', undefined],
      ['/v3/kv/range', 'POST', { key: Buffer.from('k').toString('base64') }],
      ['/v3/kv/put', 'POST', { key: Buffer.from('k').toString('base64'), value: Buffer.from('v').toString('base64') }],
      ['/v3/maintenance/status', 'POST', {}],
    ] as const;
    for (const [path, method, body] of probes) {
      const fromConf = await fetchFrom(NODE_IP, out, path, method, body);
      const fromYaml = await fetchFrom(YAML_IP, yamlOut, path, method, body);
      expect(`${path}: ${fromYaml.status}`).toBe(`${path}: ${fromConf.status}`);
      expect(fromConf.status, path).toBe(200);
    }
  }, 60_000);
});
