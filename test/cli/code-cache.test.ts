import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run } from '../support/cli.js';

// bin/cli-bundle.cjs: the CLI bundle starts from the build's V8 code cache, and starts the same
// without one (a cache V8 rejects, or none at all), only slower.
const require = createRequire(import.meta.url);
const { BUNDLE, codeCacheOf, loadCliBundle } = require(join(REPO, 'bin', 'cli-bundle.cjs')) as {
  BUNDLE: string;
  codeCacheOf: (bundle: string) => string;
  loadCliBundle: (options?: { bundle?: string; useCache?: boolean }) => { codeCache: string; exports: { main: unknown } };
};

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'etcd-pki-code-cache-'));
  mkdirSync(join(copy, 'dist'));
  cpSync(join(REPO, 'bin'), join(copy, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist', 'cli-bundle'), join(copy, 'dist', 'cli-bundle'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(copy, 'package.json'));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const copiedBundle = () => join(copy, 'dist', 'cli-bundle', 'etcd-pki.cjs');

/**
 * What the copy's loader made of its cache, asked in a process of its own: within one process V8
 * reuses a script it compiled before, whatever cache comes with the same source.
 */
function cacheUse(): string {
  const loader = join(copy, 'bin', 'cli-bundle.cjs');
  const result = run(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(loader)}).loadCliBundle().codeCache)`], copy);
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('the CLI bundle loader', () => {
  it("uses the build's code cache, which this Node accepts", () => {
    const loaded = loadCliBundle({ bundle: BUNDLE });
    expect(loaded.codeCache).toBe('accepted');
    expect(typeof loaded.exports.main).toBe('function');
  });

  it('runs a command without the cache', () => {
    rmSync(codeCacheOf(copiedBundle()), { force: true });
    expect(cacheUse()).toBe('missing');
    const version = run(process.execPath, [join(copy, 'bin', 'etcd-pki.cjs'), 'version'], copy);
    expect([version.status, version.stderr]).toEqual([0, '']);
    expect(version.stdout).toMatch(/^Version: \d+\.\d+\.\d+/);
  });

  it('runs a command when V8 rejects the cache (made by another Node, or damaged)', () => {
    writeFileSync(codeCacheOf(copiedBundle()), Buffer.alloc(4096, 0x5a));
    expect(cacheUse()).toBe('rejected');
    const version = run(process.execPath, [join(copy, 'bin', 'etcd-pki.cjs'), 'version'], copy);
    expect([version.status, version.stderr]).toEqual([0, '']);
  });

  it('says to build when the bundle is missing, with the internal-error status', () => {
    rmSync(copiedBundle());
    const version = run(process.execPath, [join(copy, 'bin', 'etcd-pki.cjs'), 'version'], copy);
    expect(version.status).toBe(70);
    expect(version.stderr).toMatch(/^etcd-pki: the CLI is not built \(.*etcd-pki\.cjs: ENOENT\); run "npm run build"\n$/);
  });
});
