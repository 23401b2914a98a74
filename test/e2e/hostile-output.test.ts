// Issue 18: a certificate served by any endpoint can hold escape sequences in its CN; the text
// reports of check-expiration and doctor print them escaped, never raw (a CN that clears the
// screen and prints a forged "OK" row). check-expiration -verify reports a served certificate
// that no CA of the bundle issued as such, not as the member's. Served by node:tls on 127.0.18.x,
// this suite's loopback block.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { shellStatus } from '../support/run.js';

const work = mkdtempSync(join(tmpdir(), 'etcd-pki-output-'));
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(work, { recursive: true, force: true });
});

/** ESC [2J ESC [H clears the screen and homes the cursor; BEL rings. */
const EVIL_CN = '\u001b[2J\u001b[HOK peer etcd1\u0007';

beforeAll(() => {
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'evil-key.pem',
      '-out',
      'evil.pem',
      '-days',
      '20',
      '-subj',
      `/CN=${EVIL_CN}`,
      '-addext',
      'subjectAltName=IP:127.0.18.1,IP:127.0.18.2',
    ],
    { cwd: work, encoding: 'utf8' },
  );
  expect(made.status, made.stderr).toBe(0);
});

/** A TLS server on `host` serving the evil certificate; its port. */
async function serve(host: string, port = 0): Promise<number> {
  const server = createServer({ cert: readFileSync(join(work, 'evil.pem')), key: readFileSync(join(work, 'evil-key.pem')) }, (socket) =>
    socket.end(),
  );
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function runCli(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ status: shellStatus(code, signal), stdout, stderr }));
  });
}

/** No character a terminal would act on, except the line breaks between lines. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('certificate fields from a live endpoint are printed escaped', () => {
  it.each([
    ['check-expiration', (port: number) => ['check-expiration', '-endpoint', `https://127.0.18.1:${port}`]],
    ['doctor', (port: number) => ['doctor', '-endpoint', `https://127.0.18.1:${port}`]],
  ])('%s shows the served CN with its ESC and BEL written as \\u001b and \\u0007', async (_, args) => {
    const port = await serve('127.0.18.1');
    const result = await runCli(args(port));
    const output = result.stdout + result.stderr;
    expect(output, output).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('\\u001b[2J\\u001b[HOK peer etcd1\\u0007');
  });

  it('--json keeps the CN as it is, escaped by JSON itself', async () => {
    const port = await serve('127.0.18.1');
    const result = await runCli(['check-expiration', '-endpoint', `https://127.0.18.1:${port}`, '--json']);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(result.stdout) as { certificates: Array<{ commonName: string }> };
    expect(report.certificates[0]!.commonName).toBe(EVIL_CN);
  });
});

describe('check-expiration -verify', () => {
  it('reports a served certificate that no CA of the bundle issued, not as the member it replaces', async () => {
    const clientPort = await serve('127.0.18.2');
    const peerPort = await serve('127.0.18.2');
    writeFileSync(
      join(work, 'cluster.json'),
      JSON.stringify({ members: [{ name: 'etcd1', hosts: ['127.0.18.2'], clientPort, peerPort }] }),
    );
    const made = await runCli(['cluster-bundle', '-config', 'cluster.json', '-out', 'bundle', '--quiet']);
    expect(made.status, made.stderr).toBe(0);
    const result = await runCli(['check-expiration', '-bundle', 'bundle', '-verify']);
    const context = `status ${result.status}\n${result.stdout}\n${result.stderr}`;
    expect(result.status, context).not.toBe(0);
    expect(result.stderr, context).toContain(`https://127.0.18.2:${peerPort} serves`);
    expect(result.stderr, context).toContain('no CA of the bundle issued');
    // Both ports serve the same certificate: one row, seen at two places.
    const served = result.stdout.split('\n').filter((line) => line.includes('127.0.18.2'));
    expect(served, context).toHaveLength(1);
    for (const line of served) {
      expect(line, context).toContain('not from the bundle');
      expect(line, context).not.toMatch(/\betcd1\b(?!\\u0007)/);
    }
    expect(result.stdout + result.stderr, context).not.toMatch(RAW_CONTROL);
  });
});
