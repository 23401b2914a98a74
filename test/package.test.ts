/**
 * The package as other tooling consumes it: `npm pack` (whose `prepare` runs the build), install
 * the tarball into a fresh project, type-check the README's library example against the installed
 * typings with strict NodeNext settings, run it, and check with openssl that the certificate it
 * issued verifies.
 *
 * The pack runs in a staged copy of the working tree (package.json, README, sources, build
 * scripts; node_modules linked), so it never rebuilds the dist/ that other suites run.
 */
import { cpSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, runOk } from './support/run.js';
import { expectVerifies } from './support/issued.js';
import { useTempDir } from './support/temp.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const tmp = useTempDir('etcd-pki-package-');
const stage = tmp.join('stage');
const consumer = tmp.join('consumer');

/** The first ```ts block of the README's "## Library" section: the library example. */
export function readmeLibraryExample(readme: string): string | undefined {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Library'));
  return section === undefined ? undefined : /```ts\n([\s\S]*?)```/.exec(section)?.[1];
}

const example = readmeLibraryExample(readFileSync(join(REPO, 'README.md'), 'utf8'));
let tarball = '';
let packedFiles: string[] = [];
let installLog = '';

beforeAll(async () => {
  mkdirSync(stage);
  for (const entry of ['package.json', 'README.md', 'tsconfig.json', 'bin', 'schemas', 'scripts', 'src']) {
    cpSync(join(REPO, entry), join(stage, entry), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp.path], { cwd: stage });
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(tmp.path, info!.filename);
  packedFiles = info!.files.map((f) => f.path);

  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // --loglevel=warn: what a user sees; the install must not warn (issue 16, item 16).
  const installed = await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'], {
    cwd: consumer,
  });
  if (installed.code !== 0) throw new Error(`npm install failed:\n${installed.stderr}`);
  installLog = installed.stdout + installed.stderr;
}, 300_000);

describe('the packed package', () => {
  it('holds the built library, its typings, the CLI, the schemas and the README, and no sources or tests', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/etcd-pki.cjs',
        'bin/cli-bundle.cjs',
        'dist/cli-bundle/etcd-pki.cjs',
        'dist/cli-bundle/etcd-pki.cjs.v8-cache',
        'dist/cli-bundle/write-worker.js',
        'dist/io/write-worker.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/api/bundle.js',
        'dist/api/bundle.d.ts',
        'dist/api/doctor.js',
        'dist/api/doctor.d.ts',
        'dist/api/lifecycle.js',
        'dist/api/lifecycle.d.ts',
        'schemas/ca-config.schema.json',
        'schemas/csr.schema.json',
      ]),
    );
    expect(packedFiles.filter((f) => /^(src|test|fixtures|scripts)\//.test(f))).toEqual([]);
  });

  it('installs without a warning: no install-time script (prepare) whose scripts/ is not packed (issue 16, item 16)', () => {
    expect(installLog).not.toMatch(/npm warn/i);
    expect(installLog).not.toContain('prepare');
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules', 'etcd-pki', 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[hook], hook).toBeUndefined();
  });

  it('has a library example in the README, the same as examples/library.ts', () => {
    expect(example).toBeDefined();
    expect(example).toContain("from 'etcd-pki'");
    expect(example).toBe(readFileSync(join(REPO, 'examples', 'library.ts'), 'utf8'));
  });

  it("type-checks the README's example against the installed typings (strict, NodeNext), runs it, and openssl verifies what it issued", async () => {
    writeFileSync(join(consumer, 'example.ts'), example!);
    // Fails to compile if the installed typings degrade to `any` (a .d.ts that does not resolve).
    writeFileSync(
      join(consumer, 'typings-guard.ts'),
      [
        "import { initCA, generateCertificate, loadSigningPolicy, PkiError, formatName, type CertificateAuthority } from 'etcd-pki';",
        "import { planClusterBundle } from 'etcd-pki/bundle';",
        "import { runDoctor } from 'etcd-pki/doctor';",
        "import { planRenewal } from 'etcd-pki/lifecycle';",
        'type IsAny<T> = 0 extends 1 & T ? true : false;',
        'export const guards: [IsAny<typeof initCA>, IsAny<typeof generateCertificate>, IsAny<typeof loadSigningPolicy>, IsAny<PkiError>, IsAny<CertificateAuthority>] = [false, false, false, false, false];',
        'export const features: [IsAny<typeof formatName>, IsAny<typeof planClusterBundle>, IsAny<typeof runDoctor>, IsAny<typeof planRenewal>] = [false, false, false, false];',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          outDir: 'out',
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
        },
        files: ['example.ts', 'typings-guard.ts'],
      }),
    );
    const tsc = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    const ran = await run(process.execPath, ['out/example.js'], { cwd: consumer });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const root = readFileSync(join(consumer, 'rootca.pem'), 'utf8');
    const peer = readFileSync(join(consumer, 'etcd1-peer.pem'), 'utf8');
    await expectVerifies(root, peer, { purpose: 'sslserver' });
    await expectVerifies(root, peer, { purpose: 'sslclient' });
    expect(statSync(join(consumer, 'etcd1-peer-key.pem')).mode & 0o777).toBe(0o600);
    await runOk('openssl', ['pkey', '-noout', '-in', join(consumer, 'etcd1-peer-key.pem')]);
  });

  it('imports without side effects and runs its CLI from node_modules/.bin', async () => {
    const imported = await run(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('etcd-pki'); if (typeof m.initCA !== 'function') process.exit(3);"],
      { cwd: consumer },
    );
    expect([imported.code, imported.stdout, imported.stderr]).toEqual([0, '', '']);
    // The core at the root, each feature at its subpath, and no internals anywhere.
    const entries = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        [
          'const names = {};',
          "for (const entry of ['etcd-pki', 'etcd-pki/bundle', 'etcd-pki/doctor', 'etcd-pki/lifecycle']) names[entry] = Object.keys(await import(entry));",
          'process.stdout.write(JSON.stringify(names));',
        ].join('\n'),
      ],
      { cwd: consumer },
    );
    expect(entries.stderr).toBe('');
    const names = JSON.parse(entries.stdout) as Record<string, string[]>;
    expect(names['etcd-pki']).toEqual(
      expect.arrayContaining(['initCA', 'generateCertificate', 'formatName', 'subjectNameOf', 'parseCertificate']),
    );
    expect(names['etcd-pki']).not.toContain('planClusterBundle');
    expect(names['etcd-pki/bundle']).toEqual(
      expect.arrayContaining(['planClusterBundle', 'planAddMember', 'loadClusterDescription', 'renderEtcdConf']),
    );
    expect(names['etcd-pki/doctor']).toEqual(
      expect.arrayContaining(['runDoctor', 'CHECKS', 'parseConfigFile', 'parseEtcdYaml', 'probeEndpoint']),
    );
    expect(names['etcd-pki/lifecycle']).toEqual(
      expect.arrayContaining(['planRenewal', 'planCaRotation', 'expirationReport', 'rotationStatus']),
    );
    expect(
      Object.values(names)
        .flat()
        .filter((name) => ['lookupUser', 'canRead', 'accountNames', 'ALL_CHECKS'].includes(name)),
    ).toEqual([]);
    const version = await run(join(consumer, 'node_modules', '.bin', 'etcd-pki'), ['version'], { cwd: consumer });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  it("starts its CLI with the build's V8 code cache, which this Node accepts", async () => {
    const loader = join(consumer, 'node_modules', 'etcd-pki', 'bin', 'cli-bundle.cjs');
    const loaded = await run(
      process.execPath,
      ['-e', `process.stdout.write(require(${JSON.stringify(loader)}).loadCliBundle().codeCache)`],
      { cwd: consumer },
    );
    expect([loaded.code, loaded.stdout, loaded.stderr]).toEqual([0, 'accepted', '']);
  });
});
