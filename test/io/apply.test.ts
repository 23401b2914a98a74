// The one apply path every bundle command takes (io/apply.ts): lock, read, plan, write, remove,
// and a new directory moved into place whole or not at all.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PkiError } from '../../src/errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE } from '../../src/fileset.js';
import { applyToBundle, type ApplyRun } from '../../src/io/apply.js';
import { LOCK_FILE } from '../../src/io/lock.js';
import { expectPkiError } from '../support/errors.js';
import { useTempDir } from '../support/temp.js';

const run = (): ApplyRun => ({ stdin: async () => new Uint8Array(), inFlight: new Set(), inFlightDirs: new Set() });
const file = (path: string, contents: string, secret = false) => ({
  path,
  contents,
  mode: secret ? SECRET_FILE_MODE : PUBLIC_FILE_MODE,
  secret,
});

describe('applyToBundle', () => {
  const temp = useTempDir('etcd-pki-apply-');

  it('creates a new bundle whole: the plan sees no files, keys are 0600, no lock or staging is left', async () => {
    const out = join(temp.freshDir(), 'bundle');
    let seen: number | undefined;
    const { report } = await applyToBundle({
      run: run(),
      out,
      mode: 'create',
      read: () => true,
      plan: async (existing) => {
        seen = existing.size;
        return { files: [file('manifest.json', '{}\n'), file('ca/ca-key.pem', 'KEY\n', true)] };
      },
    });
    expect(seen).toBe(0);
    expect([...report.written].sort()).toEqual(['ca/ca-key.pem', 'manifest.json']);
    expect(statSync(join(out, 'ca/ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(out, '..'))).toEqual(['bundle']);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('leaves nothing when the plan of a new bundle fails', async () => {
    const parent = temp.freshDir();
    const failure = new PkiError('INVALID_CLUSTER', 'no');
    await expect(
      applyToBundle({
        run: run(),
        out: join(parent, 'bundle'),
        mode: 'create',
        read: () => true,
        plan: async () => Promise.reject(failure),
      }),
    ).rejects.toBe(failure);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('updates an existing bundle under its lock: a second run meanwhile is refused, and the plan reads only what it asked for', async () => {
    const out = temp.freshDir();
    writeFileSync(join(out, 'manifest.json'), '{}\n');
    writeFileSync(join(out, 'old.pem'), 'OLD\n');
    writeFileSync(join(out, 'notes.txt'), 'not read\n');
    let second: unknown;
    const { removed } = await applyToBundle({
      run: run(),
      out,
      mode: 'update',
      read: (path) => path.endsWith('.pem') || path === 'manifest.json',
      plan: async (existing) => {
        expect([...existing.keys()].sort()).toEqual(['manifest.json', 'old.pem']);
        second = await applyToBundle({ run: run(), out, mode: 'update', read: () => true, plan: async () => ({ files: [] }) }).catch(
          (error: unknown) => error,
        );
        return { files: [file('new.pem', 'NEW\n')], removals: ['old.pem', 'gone.pem'] };
      },
    });
    expect(second).toMatchObject({ code: 'LOCKED' });
    expect(removed).toEqual(['old.pem']);
    expect(readFileSync(join(out, 'new.pem'), 'utf8')).toBe('NEW\n');
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'new.pem', 'notes.txt']);
  });

  it('refuses to update a directory that is not a bundle, with the hint given', async () => {
    const out = temp.freshDir();
    mkdirSync(join(out, 'x'));
    await expectPkiError(
      () =>
        applyToBundle({
          run: run(),
          out,
          mode: 'update',
          missingHint: 'make one first',
          read: () => true,
          plan: async () => ({ files: [] }),
        }),
      { code: 'IO', file: out, message: 'no manifest.json', hint: 'make one first' },
    );
    expect(readdirSync(out)).toEqual(['x']);
  });
});
