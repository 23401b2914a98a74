// A first cluster-bundle run is staged beside OUT: OUT is absent until it appears complete, and
// what a killed run left is removed by the next one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageNewDirectory } from '../../src/io/staging.js';
import { expectPkiError } from '../support/errors.js';
import { useTempDir } from '../support/temp.js';

const temp = useTempDir('etcd-pki-staging-');

/** A process id that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('stageNewDirectory', () => {
  it('fills a hidden 0700 sibling and moves it into place whole', async () => {
    const dir = temp.freshDir();
    const staged = await stageNewDirectory(join(dir, 'out'));
    expect(staged.path).toBe(join(dir, `.out.etcd-pki-new-${process.pid}`));
    expect(statSync(staged.path).mode & 0o777).toBe(0o700);
    writeFileSync(join(staged.path, 'ca.pem'), 'CA\n');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    await staged.commit();
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(join(dir, 'out'))).toEqual(['ca.pem']);
  });

  it('refuses to move into an output directory another run made meanwhile, and abandon removes its own', async () => {
    const dir = temp.freshDir();
    const staged = await stageNewDirectory(join(dir, 'out'));
    writeFileSync(join(staged.path, 'ca.pem'), 'MINE\n');
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'ca.pem'), 'THEIRS\n');
    await expectPkiError(() => staged.commit(), { code: 'LOCKED', file: join(dir, 'out'), hint: 'run again' });
    await staged.abandon();
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(join(dir, 'out'))).toEqual(['ca.pem']);
  });

  it("removes what killed runs left, and keeps a running process's", async () => {
    const dir = temp.freshDir();
    const killed = join(dir, `.out.etcd-pki-new-${deadPid()}`);
    const running = join(dir, `.out.etcd-pki-new-${process.ppid}`);
    const other = join(dir, `.other.etcd-pki-new-1`);
    for (const path of [killed, running, other]) mkdirSync(join(path, 'm0'), { recursive: true });
    const staged = await stageNewDirectory(join(dir, 'out'));
    expect(readdirSync(dir).sort()).toEqual([other, running, staged.path].map((path) => path.slice(dir.length + 1)).sort());
    await staged.abandon();
  });
});
