// Issue 18: inputs with no end (/dev/zero, /dev/urandom, <(yes), a sparse 100 MB file) end on
// their size limit with bounded memory and time; a FIFO with no writer, a key generation on the
// thread pool and a busy name_whitelist all end within a second of SIGTERM or SIGINT; PEM reading
// is linear. Each case runs the built CLI in a directory of its own, under /usr/bin/time for its
// peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { CLI, REPO } from '../support/cli.js';
import { shellStatus } from '../support/run.js';

const work = mkdtempSync(join(tmpdir(), 'etcd-pki-resources-'));
const kit = join(work, 'kit');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The most memory a run that refuses an endless input may use (an empty run is about 50 MB). */
const MAX_RSS_KB = 160 * 1024;
/** The most time it may take. */
const MAX_WALL_MS = 5000;

const CSR = JSON.stringify({ CN: 'etcd1', hosts: ['etcd1.example.com'], key: { algo: 'ecdsa', size: 256 } });

beforeAll(() => {
  mkdirSync(kit);
  cpSync(join(REPO, 'fixtures/cfssl/rootca.pem'), join(kit, 'ca.pem'));
  cpSync(join(REPO, 'fixtures/cfssl/rootca-key.pem'), join(kit, 'ca-key.pem'));
  cpSync(join(REPO, 'fixtures/cfssl/etcd1.csr'), join(kit, 'leaf.csr'));
  cpSync(join(REPO, 'fixtures/seed/ca-config.json'), join(kit, 'ca-config.json'));
  writeFileSync(join(kit, 'csr.json'), CSR);
  writeFileSync(join(kit, 'rsa8192.json'), JSON.stringify({ CN: 'big', key: { algo: 'rsa', size: 8192 } }));
  // cfssl's name_whitelist is Go RE2: linear in the name, whatever the pattern.
  writeFileSync(
    join(kit, 'redos.json'),
    JSON.stringify({ signing: { default: { expiry: '1h', usages: ['server auth'], name_whitelist: '(a+)+$' } } }),
  );
  const run = (args: string[]) => spawnSync('openssl', args, { cwd: kit, encoding: 'utf8' });
  run([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'redos-key.pem',
    '-subj',
    `/CN=${'a'.repeat(40)}!`,
    '-out',
    'redos.csr',
  ]);
  // 40,000 BEGIN lines and no END (1.1 MB): once quadratic, 12 s.
  writeFileSync(join(kit, 'begins.pem'), '-----BEGIN CERTIFICATE-----\n'.repeat(40_000));
});

function caseDir(): string {
  const dir = mkdtempSync(join(work, 'case-'));
  cpSync(kit, dir, { recursive: true });
  return dir;
}

interface Measured {
  status: number | null;
  stderr: string;
  rssKb: number;
  wallMs: number;
  /** User and system CPU time: unlike wall time, not stretched by other work on the machine. */
  cpuMs: number;
}

/** Runs `etcd-pki ARGS` through bash (for `<(yes)`) under /usr/bin/time; its peak RSS and wall time. */
function measured(args: string, cwd: string, stdin: 'yes' | 'zero' | 'none' = 'none'): Promise<Measured> {
  const feed = stdin === 'yes' ? 'yes | ' : '';
  const redirect = stdin === 'zero' ? ' < /dev/zero' : '';
  const script = `${feed}/usr/bin/time -f 'rss %M cpu %U %S' -o time.out "${process.execPath}" "${CLI}" ${args}${redirect}; status=$?; cat time.out >&2; exit $status`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const rss = /rss (\d+) cpu ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({
        status: shellStatus(code, signal),
        stderr: stderr.replace(/(Command exited with non-zero status \d+\n)?rss \d+ cpu [\d.]+ [\d.]+\n?$/, ''),
        rssKb: rss ? Number(rss[1]) : Infinity,
        wallMs: Date.now() - started,
        cpuMs: rss ? (Number(rss[2]) + Number(rss[3])) * 1000 : Infinity,
      });
    });
  });
}

const gencert = (csr: string, config = 'ca-config.json', ca = 'ca.pem', key = 'ca-key.pem') =>
  `gencert -ca ${ca} -ca-key ${key} -config ${config} -profile peer ${csr}`;

// Each input of each kind, fed something without an end; the error names the input and the limit.
const ENDLESS: ReadonlyArray<{ name: string; args: string; stdin?: 'yes' | 'zero'; setup?: (dir: string) => void; words: string[] }> = [
  { name: 'the CSR JSON is /dev/zero', args: gencert('/dev/zero'), words: ['/dev/zero', '1 MiB', 'CSR JSON'] },
  { name: 'the CSR JSON is /dev/urandom', args: gencert('/dev/urandom'), words: ['/dev/urandom', '1 MiB', 'CSR JSON'] },
  { name: 'the CSR JSON is <(yes)', args: gencert('<(yes)'), words: ['/dev/fd/', '1 MiB', 'CSR JSON'] },
  { name: 'the CSR JSON is standard input fed by yes', args: gencert('-'), stdin: 'yes', words: ['standard input', '1 MiB', 'CSR JSON'] },
  {
    name: 'the CSR JSON is standard input from /dev/zero',
    args: gencert('-'),
    stdin: 'zero',
    words: ['standard input', '1 MiB', 'CSR JSON'],
  },
  { name: 'the ca-config is /dev/zero', args: gencert('csr.json', '/dev/zero'), words: ['/dev/zero', '1 MiB', 'ca-config.json'] },
  { name: 'the ca-config is <(yes)', args: gencert('csr.json', '<(yes)'), words: ['/dev/fd/', '1 MiB', 'ca-config.json'] },
  {
    name: 'the CA certificate is /dev/urandom',
    args: gencert('csr.json', 'ca-config.json', '/dev/urandom'),
    words: ['/dev/urandom', '4 MiB', 'certificate file'],
  },
  {
    name: 'the CA key is /dev/zero',
    args: gencert('csr.json', 'ca-config.json', 'ca.pem', '/dev/zero'),
    words: ['/dev/zero', '64 KiB', 'private key'],
  },
  {
    name: 'the CA key is <(yes)',
    args: gencert('csr.json', 'ca-config.json', 'ca.pem', '<(yes)'),
    words: ['/dev/fd/', '64 KiB', 'private key'],
  },
  {
    name: 'the request of sign is /dev/zero',
    args: 'sign -ca ca.pem -ca-key ca-key.pem /dev/zero',
    words: ['/dev/zero', '1 MiB', 'certificate request'],
  },
  { name: 'certinfo -cert /dev/zero', args: 'certinfo -cert /dev/zero', words: ['/dev/zero', '4 MiB', 'certificate file'] },
  { name: 'certinfo -csr <(yes)', args: 'certinfo -csr <(yes)', words: ['/dev/fd/', '1 MiB', 'certificate request'] },
  { name: 'doctor -conf /dev/zero', args: 'doctor -conf /dev/zero', words: ['/dev/zero', '1 MiB', 'etcd configuration'] },
  { name: 'doctor -conf <(yes)', args: 'doctor -conf <(yes)', words: ['/dev/fd/', '1 MiB', 'etcd configuration'] },
  {
    name: 'check-expiration -conf /dev/urandom',
    args: 'check-expiration -conf /dev/urandom',
    words: ['/dev/urandom', '1 MiB', 'etcd configuration'],
  },
  { name: 'json -f /dev/zero', args: 'json -f /dev/zero -bare x', words: ['/dev/zero', '4 MiB', "cfssl's JSON output"] },
  {
    name: 'json from yes on standard input',
    args: 'json -bare x',
    stdin: 'yes',
    words: ['standard input', '4 MiB', "cfssl's JSON output"],
  },
  {
    name: 'cluster-bundle -config /dev/zero',
    args: 'cluster-bundle -config /dev/zero -out out',
    words: ['/dev/zero', '4 MiB', 'cluster description'],
  },
  {
    name: 'cluster-bundle -config <(yes)',
    args: 'cluster-bundle -config <(yes) -out out',
    words: ['/dev/fd/', '4 MiB', 'cluster description'],
  },
  {
    name: 'a sparse 100 MB manifest.json of the bundle cluster-bundle repairs',
    args: 'cluster-bundle -out out',
    setup: (dir) => {
      mkdirSync(join(dir, 'out'));
      writeFileSync(join(dir, 'out', 'manifest.json'), '');
      truncateSync(join(dir, 'out', 'manifest.json'), 100 * 1024 * 1024);
    },
    words: ['manifest.json', '32 MiB', 'manifest.json'],
  },
  {
    name: 'a sparse 100 MB certificate in the bundle doctor reads',
    args: 'doctor -bundle out',
    setup: (dir) => {
      mkdirSync(join(dir, 'out', 'ca'), { recursive: true });
      writeFileSync(join(dir, 'out', 'ca', 'ca.pem'), '');
      truncateSync(join(dir, 'out', 'ca', 'ca.pem'), 100 * 1024 * 1024);
    },
    words: ['ca.pem', '4 MiB', 'bundle file'],
  },
];

describe('an input without an end', () => {
  it.each(ENDLESS)('$name: refused on its size limit, in bounded memory and time', async ({ args, stdin, setup, words }) => {
    const dir = caseDir();
    setup?.(dir);
    const result = await measured(args, dir, stdin);
    const context = `etcd-pki ${args}: status ${result.status}, ${result.rssKb} KB, ${result.wallMs} ms\n${result.stderr}`;
    expect(result.status, context).toBe(EXIT.io);
    expect(result.stderr, context).toMatch(/^etcd-pki: .*the file is larger than/);
    for (const word of words) expect(result.stderr, context).toContain(word);
    expect(result.rssKb, context).toBeLessThan(MAX_RSS_KB);
    expect(result.wallMs, context).toBeLessThan(MAX_WALL_MS);
    rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * Starts `etcd-pki ARGS`, waits until `ready` says it is where the case wants it (at most
 * 10 s), sends `signal`; its status and how long it took to end after the signal.
 */
async function stopped(
  args: readonly string[],
  signal: NodeJS.Signals,
  ready: (pid: number, dir: string) => boolean,
): Promise<{ status: number | null; stderr: string; afterSignalMs: number; endedBefore: boolean }> {
  const dir = caseDir();
  spawnSync('mkfifo', ['fifo'], { cwd: dir });
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  let ended = false;
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code, killedBy) => {
      ended = true;
      resolve(shellStatus(code, killedBy));
    }),
  );
  for (let waited = 0; waited < 10_000 && !ended && !ready(child.pid!, dir); waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const endedBefore = ended;
  const signalled = Date.now();
  child.kill(signal);
  // Killed outright if it does not end: the assertion below then fails instead of the suite hanging.
  const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const status = await closed;
  clearTimeout(guard);
  const afterSignalMs = Date.now() - signalled;
  rmSync(dir, { recursive: true, force: true });
  return { status, stderr, afterSignalMs, endedBefore };
}

/** The process has `name` (in its directory) open: it is waiting on it. */
function hasOpen(name: string): (pid: number, dir: string) => boolean {
  return (pid, dir) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === join(dir, name);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  };
}

/** The process has used `ms` of CPU time (it is past start-up, in the work the case is about). */
function busyFor(ms: number): (pid: number) => boolean {
  return (pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second).
      return (Number(fields[11]) + Number(fields[12])) * 10 >= ms;
    } catch {
      return false;
    }
  };
}

const BLOCKED: ReadonlyArray<{ name: string; args: string[] }> = [
  {
    name: 'the CSR JSON',
    args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'ca-key.pem', '-config', 'ca-config.json', '-profile', 'peer', 'fifo'],
  },
  { name: '-config', args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'ca-key.pem', '-config', 'fifo', '-profile', 'peer', 'csr.json'] },
  { name: '-ca', args: ['gencert', '-ca', 'fifo', '-ca-key', 'ca-key.pem', '-config', 'ca-config.json', '-profile', 'peer', 'csr.json'] },
  { name: 'certinfo -cert', args: ['certinfo', '-cert', 'fifo'] },
  { name: 'doctor -conf', args: ['doctor', '-conf', 'fifo'] },
];

describe('SIGTERM and SIGINT end a run within a second', () => {
  it.each(BLOCKED.flatMap((c) => (['SIGTERM', 'SIGINT'] as const).map((signal) => ({ ...c, signal }))))(
    'blocked on a FIFO with no writer as $name ($signal)',
    async ({ args, signal }) => {
      const result = await stopped(args, signal, hasOpen('fifo'));
      const context = `etcd-pki ${args.join(' ')}: status ${result.status} after ${result.afterSignalMs} ms\n${result.stderr}`;
      expect(result.endedBefore, context).toBe(false);
      expect(result.status, context).toBe(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
      expect(result.stderr, context).toMatch(new RegExp(`^etcd-pki: interrupted \\(${signal}\\); no partial file was left\\n$`));
      expect(result.afterSignalMs, context).toBeLessThan(1000);
    },
  );

  it('while an RSA 8192 key is generated on the thread pool (SIGTERM)', async () => {
    const result = await stopped(['gencert', '-initca', 'rsa8192.json'], 'SIGTERM', busyFor(800));
    const context = `status ${result.status} after ${result.afterSignalMs} ms\n${result.stderr}`;
    expect(result.endedBefore, context).toBe(false);
    expect(result.status, context).toBe(EXIT.terminated);
    expect(result.afterSignalMs, context).toBeLessThan(1000);
  });

  it('a name_whitelist with catastrophic backtracking, (a+)+$, ends promptly, and on SIGTERM', async () => {
    const args = ['sign', '-ca', 'ca.pem', '-ca-key', 'ca-key.pem', '-config', 'redos.json', 'redos.csr'];
    const started = Date.now();
    // Signalled once it has used 3 s of CPU time. RE2, cfssl's regular expressions, matches in
    // time linear in the name, so the run is over long before (refused: not on the list).
    const result = await stopped(args, 'SIGTERM', busyFor(3000));
    const context = `status ${result.status} after ${Date.now() - started} ms, ${result.afterSignalMs} ms after the signal\n${result.stderr}`;
    expect(result.afterSignalMs, context).toBeLessThan(1000);
    expect(result.endedBefore, context).toBe(true);
    expect(result.status, context).toBe(EXIT.input);
    expect(result.stderr, context).toContain('name_whitelist');
  });
});

describe('PEM reading is linear', () => {
  it.each([
    ['certinfo -cert', 'certinfo -cert begins.pem'],
    ['-ca of gencert', gencert('csr.json', 'ca-config.json', 'begins.pem')],
  ])('40,000 BEGIN lines without an END (1.1 MB) as %s are refused in under 2 s of CPU time', async (_, args) => {
    const dir = caseDir();
    const result = await measured(args, dir);
    const context = `${result.cpuMs} ms CPU, ${result.wallMs} ms\n${result.stderr}`;
    expect(result.status, context).toBe(EXIT.input);
    expect(result.stderr, context).toContain('begins.pem: a PEM block has no END line');
    expect(result.cpuMs, context).toBeLessThan(2000);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('doctor -bundle is linear in the bundle', () => {
  // Each member's etcd.conf lists every member, so a bundle of n members is n^2 in size: 4 times
  // the members is 16 times the bundle. Before issue 18 doctor was cubic in the members (50: 2.5 s,
  // 200: 35 s, 400: 273 s); the ratio of 200 to 50 members then was 14 and more.
  it('checks a bundle of 200 members and 200 clients in at most 10 times the time of one of 50', async () => {
    const dir = caseDir();
    const make = (count: number) =>
      spawnSync(
        process.execPath,
        [
          CLI,
          'cluster-bundle',
          ...Array.from({ length: count }, (_, i) => ['-member', `m${i}=10.7.${i >> 8}.${i & 255}`, '-client', `c${i}`]).flat(),
          '-out',
          `b${count}`,
          '--quiet',
        ],
        { cwd: dir, encoding: 'utf8' },
      );
    for (const count of [50, 200]) expect(make(count).status).toBe(0);
    const small = await measured('doctor -bundle b50', dir);
    const large = await measured('doctor -bundle b200', dir);
    const context = `50 members: ${small.cpuMs} ms CPU, ${small.rssKb} KB; 200 members: ${large.cpuMs} ms CPU, ${large.rssKb} KB\n${large.stderr.slice(0, 500)}`;
    expect(small.status, context).toBe(0);
    expect(large.status, context).toBe(0);
    expect(large.cpuMs / small.cpuMs, context).toBeLessThan(10);
    expect(large.wallMs, context).toBeLessThan(60_000);
    rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});
