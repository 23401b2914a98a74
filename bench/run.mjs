// npm run bench [-- -verify] [-- -quick]: etcd-pki against its references, side by side in one
// run, on the targets of the Speed issue. Prints a table (scenario, etcd-pki median, reference
// median, ratio, target, PASS/MISS) and writes the same to bench/results.json. Installs nothing:
// cfssl scenarios run only where cfssl and cfssljson are already on PATH.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installed, median, timeOnce, timeSideBySide } from './lib.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repo, 'bin', 'etcd-pki.cjs');
const node = process.execPath;
const args = new Set(process.argv.slice(2).map((a) => a.replace(/^--?/, '')));
const quick = args.has('quick');
const verify = args.has('verify');
const runs = quick ? 5 : 21;
const haveCfssl = installed('cfssl') && installed('cfssljson');
const work = mkdtempSync(join(tmpdir(), 'etcd-pki-bench-'));
const results = [];

function seedDir(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(join(repo, 'fixtures', 'seed'))) {
    if (file.endsWith('.json')) copyFileSync(join(repo, 'fixtures', 'seed', file), join(dir, file));
  }
  return dir;
}

function record(scenario, ours, reference, referenceName, target, pass, note = '') {
  results.push({
    scenario,
    etcdPkiMs: round(ours),
    reference: referenceName,
    referenceMs: round(reference),
    ratio: reference ? round(ours / reference, 2) : null,
    target,
    result: pass ? 'PASS' : 'MISS',
    note,
  });
}

const round = (value, digits = 1) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));
const etcdPki = (cliArgs, cwd) => () => timeOnce(node, [cli, ...cliArgs], { cwd });

// 1. Start-up: version, and gencert of one leaf, against `node -e 0`.
{
  const dir = seedDir('startup');
  spawnSync(node, [cli, 'gencert', '-initca', '-bare', 'rootca', 'rootca-csr.json'], { cwd: dir });
  const nodeBaseline = { run: () => timeOnce(node, ['-e', '0']) };
  const [version, baseline1] = timeSideBySide([{ run: etcdPki(['version'], dir) }, nodeBaseline], runs);
  record('etcd-pki version', version, baseline1, 'node -e 0', '<= 1.5x', version <= 1.5 * baseline1);
  const gencert = [
    'gencert',
    '-ca=rootca.pem',
    '-ca-key=rootca-key.pem',
    '-config=ca-config.json',
    '-profile=peer',
    '--force',
    '-bare',
    'leaf',
    'etcd1-peer-csr.json',
  ];
  const [leaf, baseline2] = timeSideBySide([{ run: etcdPki(gencert, dir) }, nodeBaseline], runs);
  record('gencert one leaf (-bare)', leaf, baseline2, 'node -e 0', '<= 1.5x', leaf <= 1.5 * baseline2);
  if (haveCfssl) {
    const cfssl = () =>
      timeOnce(
        'cfssl gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json -profile=peer etcd1-peer-csr.json 2>/dev/null | cfssljson -bare leafc',
        undefined,
        { cwd: dir },
      );
    const [ours, theirs] = timeSideBySide([{ run: etcdPki(gencert, dir) }, { run: cfssl }], runs);
    record('gencert one leaf', ours, theirs, 'cfssl | cfssljson', 'information', true);
  }
}

// 2. The walkthrough's set in one process, against the cfssl + cfssljson script.
const members = ['etcd1=192.168.0.91', 'etcd2=192.168.0.92', 'etcd3=192.168.0.93', 'etcd4=192.168.0.94'];
{
  const dir = seedDir('walkthrough');
  // A new output directory for every run, as in the bulk scenario below (why: see there).
  let run = 0;
  const bundleArgs = () => ['cluster-bundle', ...members.flatMap((m) => ['-member', m]), '-out', `out-${run++}`, '--quiet'];
  const ours = { run: () => etcdPki(bundleArgs(), dir)() };
  if (haveCfssl) {
    const gencert = 'cfssl gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json';
    const script = [
      'cfssl gencert -initca rootca-csr.json 2>/dev/null | cfssljson -bare rootca',
      ...[1, 2, 3, 4].map((n) => `${gencert} -profile=server etcd${n}-csr.json 2>/dev/null | cfssljson -bare etcd${n}`),
      `${gencert} -profile=client etcdctl-csr.json 2>/dev/null | cfssljson -bare etcdctl`,
      ...[1, 2, 3, 4].map((n) => `${gencert} -profile=peer etcd${n}-peer-csr.json 2>/dev/null | cfssljson -bare etcd${n}-peer`),
    ].join(' && ');
    const theirs = { run: () => timeOnce(script, undefined, { cwd: dir }) };
    const [a, b] = timeSideBySide([ours, theirs], quick ? 3 : 9);
    record('walkthrough set: CA, 4 members, etcdctl, configs', a, b, 'cfssl + cfssljson script (10 pipelines)', '<= 1.5x', a <= 1.5 * b);
  } else {
    const [a] = timeSideBySide([ours], quick ? 3 : 9);
    record('walkthrough set: CA, 4 members, etcdctl, configs', a, null, 'cfssl not installed', '<= 1.5x', false, 'no reference');
  }
}

// 3. Bulk: 1,000 members and 1,000 clients (3,001 certificates and every file).
{
  const dir = join(work, 'bulk');
  mkdirSync(dir);
  const count = quick ? 200 : 1000;
  const flags = [];
  for (let i = 0; i < count; i++) flags.push('-member', `m${i}=10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, '-client', `c${i}`);
  const argsFile = join(dir, 'args.json');
  writeFileSync(argsFile, JSON.stringify(['cluster-bundle', ...flags, '--quiet']));
  let rss = 0;
  let fileCount = 0;
  // Each run writes into a directory of its own, as a user's first run does, and nothing is
  // deleted until the section ends: on ext4 without a journal (this VM's disk) a file created soon
  // after many deletions waits while the allocator skips every recently freed inode (up to 300 s),
  // which made a run after `rm -rf out` take 10 s or more, disk floor included.
  let lastOut;
  // cfssl's one-process-per-certificate loop, timed a few certificates at a time right after each
  // bulk run on ext4, so that both see the machine in the same state (it changes within a run).
  const cfsslSeed = haveCfssl ? seedDir('cfssl-loop') : undefined;
  if (cfsslSeed)
    spawnSync('bash', ['-c', 'cfssl gencert -initca rootca-csr.json 2>/dev/null | cfssljson -bare rootca'], { cwd: cfsslSeed });
  const cfsslTimes = [];
  const sampleCfsslLoop = (count) => {
    for (let i = 0; i < count; i++) {
      const n = cfsslTimes.length;
      cfsslTimes.push(
        timeOnce(
          `cfssl gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json -profile=peer etcd1-peer-csr.json 2>/dev/null | cfssljson -bare c${n}`,
          undefined,
          { cwd: cfsslSeed },
        ),
      );
    }
  };
  const bulkWall = (cwd, withCfsslSamples = false) => {
    const walls = [];
    const runs = quick ? 1 : 3;
    for (let i = 0; i < runs; i++) {
      lastOut = `out-${i}`;
      spawnSync('sync', ['-f', cwd]); // untimed: the previous run's writes are not this run's
      const start = process.hrtime.bigint();
      const result = spawnSync(node, [join(repo, 'bench', 'peak-rss.mjs'), argsFile, lastOut], { cwd, encoding: 'utf8' });
      walls.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.status !== 0) throw new Error(`bulk cluster-bundle failed: ${result.stderr.slice(0, 800)}`);
      rss = Math.max(rss, Number(/peak-rss-mib ([\d.]+)/.exec(result.stderr)?.[1] ?? 0));
      if (withCfsslSamples && cfsslSeed) sampleCfsslLoop(Math.ceil((quick ? 5 : 21) / runs));
    }
    return median(walls);
  };
  // The disk's own floor, in the same run and under the same conditions: creating as many files
  // of the same sizes in a new directory, one write each, then one syncfs.
  const diskFloor = (cwd) => {
    const sizes = [];
    const walk = (d) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : sizes.push(readFileSync(join(d, e.name)).length),
      );
    walk(join(cwd, lastOut));
    fileCount = sizes.length;
    const floorDir = join(cwd, 'floor');
    mkdirSync(floorDir);
    spawnSync('sync', ['-f', cwd]);
    const start = process.hrtime.bigint();
    sizes.forEach((size, i) => {
      if (i % 6 === 0) mkdirSync(join(floorDir, `d${i}`));
      writeFileSync(join(floorDir, `d${i - (i % 6)}`, `f${i}`), Buffer.alloc(size, 120), { mode: 0o600 });
    });
    spawnSync('sync', ['-f', floorDir]);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const wall = bulkWall(dir, true);
  const floor = diskFloor(dir);
  const certificates = 2 * count + count + 1;
  // About 0.04 ms a file on this VM's disk normally; several times that within minutes of mass
  // deletions (ext4 without a journal skips recently freed inodes, see above): say so in the row.
  const slowDisk = floor / fileCount > 0.1 ? 'the disk itself is slow now (ext4 after mass deletions?): run again in 5 minutes' : '';
  record(
    `bulk: ${count} members + ${count} clients (${certificates} certs)`,
    wall,
    floor,
    `creating the same ${fileCount} files on the same disk`,
    '< 3000 ms',
    wall < 3000 * (count / 1000),
    slowDisk,
  );
  if (existsSync('/dev/shm')) {
    const shm = mkdtempSync('/dev/shm/etcd-pki-bench-');
    try {
      const tmpfsWall = bulkWall(shm);
      record(
        'bulk, output on tmpfs (/dev/shm): the CPU-bound part',
        tmpfsWall,
        null,
        'absolute',
        '< 3000 ms',
        tmpfsWall < 3000 * (count / 1000),
      );
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  }
  record('bulk: peak RSS (MiB)', rss, null, 'absolute', '< 300 MiB', rss < 300, 'MiB, not ms');
  if (cfsslSeed) {
    // Mean, not median: the loop's cost is the sum of its processes, outliers included.
    const perCert = cfsslTimes.reduce((a, b) => a + b, 0) / cfsslTimes.length;
    const extrapolated = perCert * certificates;
    record(
      `bulk vs cfssl loop (one process per certificate)`,
      wall,
      extrapolated,
      `cfssl loop, ${cfsslTimes.length} timed between the bulk runs, extrapolated to ${certificates}`,
      '>= 20x faster',
      extrapolated / wall >= 20,
      `${round(extrapolated / wall)}x faster; cfssl ${round(perCert)} ms/cert`,
    );
  }
  if (verify) {
    const out = join(dir, lastOut);
    const pems = [];
    const walk = (d) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) =>
        e.isDirectory()
          ? walk(join(d, e.name))
          : e.name.endsWith('.pem') && !e.name.endsWith('-key.pem') && e.name !== 'ca.pem' && pems.push(join(d, e.name)),
      );
    walk(out);
    const caFile = readdirSync(join(out, 'ca')).find((f) => f.endsWith('.pem') && !f.endsWith('-key.pem'));
    let failures = 0;
    for (let i = 0; i < pems.length; i += 400) {
      const result = spawnSync('openssl', ['verify', '-CAfile', join(out, 'ca', caFile), ...pems.slice(i, i + 400)], { encoding: 'utf8' });
      failures += result.stdout.split('\n').filter((line) => line && !line.endsWith(': OK')).length + (result.status === 0 ? 0 : 1);
    }
    record(`bulk: openssl verify of all ${pems.length} certificates`, failures, null, 'failures', '0', failures === 0, 'count, not ms');
  }
}

// 4. Library bulk issuance against raw key generation + signing, same process.
{
  const result = spawnSync(node, [join(repo, 'bench', 'bulk-rate.mjs'), String(quick ? 1000 : 5000)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  const { library, raw } = JSON.parse(result.stdout.trim().split('\n').pop());
  results.push({
    scenario: 'library bulk issuance, P-256 (certs/s)',
    etcdPkiMs: library,
    reference: 'hardware limit: cores x (P-256 keygen + sign) (certs/s)',
    referenceMs: raw,
    ratio: round(library / raw, 2),
    target: '>= 5000/s',
    result: library >= 5000 ? 'PASS' : 'MISS',
    note: 'rates, not ms',
  });
}

rmSync(work, { recursive: true, force: true });
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  node: process.version,
  date: new Date().toISOString(),
  runs,
  quick,
  cfssl: haveCfssl,
};
writeFileSync(join(repo, 'bench', 'results.json'), JSON.stringify({ machine, results }, null, 2) + '\n');
const header = ['scenario', 'etcd-pki', 'reference', 'ref', 'ratio', 'target', 'result'];
const rows = results.map((r) => [
  r.scenario,
  String(r.etcdPkiMs),
  r.reference,
  r.referenceMs === null ? '-' : String(r.referenceMs),
  r.ratio === null ? '-' : String(r.ratio),
  r.target,
  r.result + (r.note ? ` (${r.note})` : ''),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`${machine.cpus} cores, ${machine.cpu}, node ${machine.node}; medians of ${runs} runs, ms unless noted`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
