// The output directory's lock (io/lock.ts): one run at a time, and a lock left by a run that no
// longer exists is taken over by exactly one of the runs that find it (issue 14: two takers that
// both saw the dead pid used to both hold it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDirectory } from '../../src/io/lock.js';
import { expectPkiError } from '../support/errors.js';
import { useTempDir } from '../support/temp.js';

// The children run the built module (test/global-setup.ts builds dist/ when src/ is newer).
const LOCK_MODULE = fileURLToPath(new URL('../../dist/io/lock.js', import.meta.url));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** Each child waits for `startAt`, tries the lock once, holds it `holdMs` when it gets it, and says which. */
const TAKER = `
const { lockDirectory } = await import(process.argv[1]);
const [dir, startAt, holdMs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
while (Date.now() < startAt);
try {
  const lock = await lockDirectory(dir);
  process.stdout.write('won');
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  await lock.release();
} catch (error) {
  process.stdout.write(error.code ?? String(error));
}
`;

async function race(dir: string, takers: number): Promise<string[]> {
  const startAt = Date.now() + 600 + takers * 120;
  const runs = Array.from({ length: takers }, () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', TAKER, LOCK_MODULE, dir, String(startAt), '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return new Promise<string>((resolve) => child.on('close', () => resolve(out)));
  });
  return Promise.all(runs);
}

describe('lockDirectory', () => {
  const temp = useTempDir('etcd-pki-lock-');

  it('refuses a second taker while the first holds the lock, naming its pid', async () => {
    const dir = temp.freshDir();
    const lock = await lockDirectory(dir);
    await expectPkiError(() => lockDirectory(dir), { code: 'LOCKED', message: `pid ${process.pid}` });
    await lock.release();
    await (await lockDirectory(dir)).release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it.each([1, 2, 3])(
    'lets exactly one of six concurrent takers take over a lock left by a dead pid (round %i)',
    async () => {
      const dir = temp.freshDir();
      writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
      const results = await race(dir, 6);
      expect(results.filter((result) => result === 'won')).toHaveLength(1);
      expect(results.filter((result) => result !== 'won')).toEqual(Array(5).fill('LOCKED'));
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      expect(existsSync(join(dir, `${LOCK_FILE}.takeover`))).toBe(false);
    },
    30_000,
  );

  it('waits for a lock being written (empty for an instant) rather than taking it over', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    await expectPkiError(() => lockDirectory(dir), { code: 'LOCKED' });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe('');
  });

  it('takes over an empty lock once it is old: its writer died between creating and writing it', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    const lock = await lockDirectory(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it('stops at a takeover guard left by a dead run, and says which file to remove', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    writeFileSync(join(dir, `${LOCK_FILE}.takeover`), `${deadPid()}\n`);
    await expectPkiError(() => lockDirectory(dir), { code: 'LOCKED', hint: `remove ${join(dir, `${LOCK_FILE}.takeover`)}` });
  });
});
