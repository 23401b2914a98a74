// Issue 9: cluster-bundle killed (SIGKILL, no chance to clean up) at random moments. Each time
// the output directory is absent or complete (a first run is staged beside it), holds no
// certificate without its key and no empty or partial file, and a second run completes it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { shellStatus } from '../support/run.js';

const MEMBERS = 40;
const CLIENTS = 40;
const KILLS = 20;
const args = [
  'cluster-bundle',
  ...Array.from({ length: MEMBERS }, (_, i) => ['-member', `m${i}=10.9.${i >> 8}.${i & 255}`]).flat(),
  ...Array.from({ length: CLIENTS }, (_, i) => ['-client', `c${i}`]).flat(),
  '-out',
  'out',
  '--quiet',
];
const root = mkdtempSync(join(tmpdir(), 'etcd-pki-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Every certificate has its key; no key or certificate is empty or cut short. */
function assertConsistent(out: string, when: string): void {
  for (const file of files(out).filter((f) => f.endsWith('.pem') && !/\.[0-9a-f]{12}\.tmp$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    expect(text, `${when}: ${file}`).toMatch(/^-----BEGIN [A-Z0-9 ]+-----\n[\s\S]+\n-----END [A-Z0-9 ]+-----\n$/);
    if (file.endsWith('-key.pem')) {
      expect(statSync(file).mode & 0o777, `${when}: ${file}`).toBe(0o600);
      continue;
    }
    // Trust files and CRLs have no key beside them (issue 17: peer-ca.pem, client-crl.pem, peer-crl.pem).
    if (/\/(ca|peer-ca|client-crl|peer-crl)\.pem$/.test(file)) continue;
    const key = file.replace(/\.pem$/, '-key.pem');
    expect(existsSync(key), `${when}: ${file} without ${key}`).toBe(true);
  }
}

function run(cwd: string): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('cluster-bundle killed at random moments', () => {
  const full = join(root, 'reference');
  let duration = 0;
  let expected: string[] = [];

  it('completes undisturbed (the reference run)', () => {
    rmSync(full, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', full]);
    const start = Date.now();
    const result = run(full);
    duration = Date.now() - start;
    expect(result.status, result.stderr).toBe(0);
    expected = files(join(full, 'out')).map((f) => f.slice(full.length));
    expect(expected.length).toBeGreaterThan(4 * MEMBERS);
  });

  it(`leaves a consistent directory after each of ${KILLS} SIGKILLs, and a re-run completes it`, async () => {
    let killedMidway = 0;
    for (let round = 0; round < KILLS; round++) {
      const dir = join(root, `kill-${round}`);
      spawnSync('mkdir', ['-p', dir]);
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' });
      // Spread the kills over the whole run, start-up included.
      const delay = Math.round(((round + Math.random()) / KILLS) * duration * 1.1);
      await new Promise((resolve) => setTimeout(resolve, delay));
      const exited = child.exitCode !== null;
      child.kill('SIGKILL');
      await new Promise((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve),
      );
      if (!exited && readdirSync(dir).some((entry) => entry.includes('etcd-pki-new'))) killedMidway++;

      assertConsistent(join(dir, 'out'), `round ${round}, killed after ${delay} ms`);
      // A first run is written beside OUT and moved into place whole: OUT is absent or complete.
      const left = files(join(dir, 'out'))
        .map((f) => f.slice(dir.length))
        .sort();
      expect(
        left.length === 0 || left.join('\n') === [...expected].sort().join('\n'),
        `round ${round}: ${left.length} of ${expected.length} files`,
      ).toBe(true);
      const rerun = run(dir);
      expect(rerun.status, `round ${round}: ${rerun.stderr}`).toBe(0);
      assertConsistent(join(dir, 'out'), `round ${round}, after the re-run`);
      expect(
        files(join(dir, 'out'))
          .map((f) => f.slice(dir.length))
          .sort(),
      ).toEqual([...expected].sort());
      expect(files(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(
        readdirSync(dir).filter((entry) => entry.includes('etcd-pki-new')),
        'staging left behind',
      ).toEqual([]);
      const verify = spawnSync(
        'openssl',
        ['verify', '-CAfile', join(dir, 'out/ca/ca.pem'), join(dir, 'out/m0/m0.pem'), join(dir, `out/c${CLIENTS - 1}/c${CLIENTS - 1}.pem`)],
        { encoding: 'utf8' },
      );
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
    // The kills must have hit runs in progress, not only before start or after the end (how many
    // do depends on the machine's load, which changes the run's length from the reference's).
    expect(killedMidway, `${killedMidway} of ${KILLS} kills landed while files were being written`).toBeGreaterThanOrEqual(3);
  }, 240_000);
});

describe('cluster-bundle interrupted (SIGINT, SIGTERM) while a first run is staged', () => {
  // The signal is sent as soon as the hidden staging directory appears, so it lands while the
  // bundle is planned or written: the run must remove the directory itself (a SIGKILL's leftover
  // is removed by the next run instead, above) and leave OUT absent.
  it.each([
    { signal: 'SIGINT', when: 'planned' },
    { signal: 'SIGTERM', when: 'planned' },
    // 400 members make over 2,048 files: a worker thread writes half of them (io/worker-writes.ts).
    { signal: 'SIGINT', when: 'written' },
  ] as const)(
    '$signal while the bundle is $when leaves neither OUT nor the staging directory',
    async ({ signal, when }) => {
      const dir = join(root, `signal-${signal}-${when}`);
      spawnSync('mkdir', ['-p', dir]);
      const bulk = [
        'cluster-bundle',
        ...Array.from({ length: 400 }, (_, i) => ['-member', `m${i}=10.8.${i >> 8}.${i & 255}`]).flat(),
        '-out',
        'out',
        '--quiet',
      ];
      const child = spawn(process.execPath, [CLI, ...bulk], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code, killedBy) => resolve(shellStatus(code, killedBy))));
      let staged = false;
      const ready = () => {
        const staging = readdirSync(dir).find((entry) => entry.includes('etcd-pki-new'));
        // Written: the members' directories are being filled (the lock file comes first).
        return staging !== undefined && (when === 'planned' || readdirSync(join(dir, staging)).some((entry) => !entry.startsWith('.')));
      };
      for (let waited = 0; waited < 20_000 && child.exitCode === null && !staged; waited += 2) {
        staged = ready();
        if (!staged) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect(staged, 'the staging directory never appeared').toBe(true);
      child.kill(signal);
      const status = await exited;
      if (status === 0) {
        // The signal came after the rename: OUT is complete, and that is all there is.
        expect(readdirSync(dir)).toEqual(['out']);
        return;
      }
      expect(status, stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(stderr).toContain('interrupted');
      expect(readdirSync(dir), 'OUT or the staging directory left behind').toEqual([]);
    },
    60_000,
  );
});
