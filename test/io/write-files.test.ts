// Issue 9: a failed, refused or interrupted write leaves the output directory as it was: no temp
// file, no directory it made, no key replaced.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PkiError } from '../../src/errors.js';
import type { PlannedFile } from '../../src/fileset.js';
import { assertWritableDirectory, writeFileSet } from '../../src/io/write-files.js';
import { expectPkiError } from '../support/errors.js';
import { useTempDir } from '../support/temp.js';

const temp = useTempDir('etcd-pki-write-files-');

const key = (path: string, contents = 'KEY\n'): PlannedFile => ({ path, contents, mode: 0o600, secret: true });
const cert = (path: string, contents = 'CERT\n'): PlannedFile => ({ path, contents, mode: 0o644, secret: false });

/** Every path below `dir`, directories with a trailing slash. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? [`${path}/`, ...tree(dir, path)] : [path];
    })
    .sort();
}

/** A planned file whose contents are produced by `produce` when the writer reads them. */
function lazily(file: PlannedFile, produce: () => void): PlannedFile {
  return {
    ...file,
    get contents() {
      produce();
      return file.contents;
    },
  } as PlannedFile;
}

describe('writeFileSet', () => {
  it('writes keys 0600 in a new 0700 directory, certificates 0644, and reports them', async () => {
    const dir = temp.freshDir();
    const report = await writeFileSet(join(dir, 'new'), {
      files: [cert('etcd1.pem'), key('etcd1-key.pem'), cert('sub/peer.pem'), key('sub/peer-key.pem')],
    });
    expect(report.written).toEqual(['etcd1-key.pem', 'sub/peer-key.pem', 'etcd1.pem', 'sub/peer.pem']);
    expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'new/sub')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'new/etcd1-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new/etcd1.pem')).mode & 0o777).toBe(0o644);
    expect(tree(dir)).toEqual(['new/', 'new/etcd1-key.pem', 'new/etcd1.pem', 'new/sub/', 'new/sub/peer-key.pem', 'new/sub/peer.pem']);
  });

  it.each([0o022, 0o077, 0o277, 0o000])('gives every file exactly its mode under umask %o', async (mask) => {
    const dir = temp.freshDir();
    const script: PlannedFile = { path: 'm/install.sh', contents: '#!/bin/sh\n', mode: 0o755, secret: false };
    const previous = process.umask(mask);
    try {
      await writeFileSet(join(dir, 'new'), { files: [key('m/m-key.pem'), cert('m/m.pem'), script] });
    } finally {
      process.umask(previous);
    }
    const mode = (path: string) => statSync(join(dir, 'new', path)).mode & 0o777;
    expect([mode('m/m-key.pem'), mode('m/m.pem'), mode('m/install.sh')]).toEqual([0o600, 0o644, 0o755]);
  });

  it('writes a staged directory under the final names at once: no temp file, each path in flight until done', async () => {
    const dir = temp.freshDir();
    const inFlight = new Set<string>();
    const seen = new Set<string>();
    const inFlightSizes = new Set<number>();
    const look = () => seen.add(tree(dir).join(' ')) && inFlightSizes.add(inFlight.size);
    const files = [lazily(cert('m/m.pem'), look), lazily(key('m/m-key.pem'), look), cert('top.json')];
    const report = await writeFileSet(dir, { files }, { staged: true, inFlight, removeStaleTemps: true });
    // Each file is created under its own name and filled in place.
    expect([...seen]).toEqual(['m/ m/m.pem', 'm/ m/m-key.pem m/m.pem']);
    expect([...inFlightSizes]).toEqual([3]);
    expect(report.written).toEqual(['m/m.pem', 'm/m-key.pem', 'top.json']);
    expect(tree(dir)).toEqual(['m/', 'm/m-key.pem', 'm/m.pem', 'top.json']);
    expect(statSync(join(dir, 'm/m-key.pem')).mode & 0o777).toBe(0o600);
    expect(inFlight.size).toBe(0);
  });

  describe('a staged directory of 2,048 files or more, half of them written by a worker thread', () => {
    // As cluster-bundle plans them: per owner a key (0600), a certificate and a large shared-memory
    // configuration file (etcd.conf), plus top-level files.
    const bulk = (owners: number): PlannedFile[] => {
      const files: PlannedFile[] = [];
      for (let i = 0; i < owners; i++) {
        const conf = Buffer.from(new SharedArrayBuffer(5000 + i));
        conf.fill(`ETCD_NAME="m${i}"\n`);
        files.push(key(`m${i}/m${i}-key.pem`, `KEY ${i}\n`), cert(`m${i}/m${i}.pem`, `CERT ${i}\n`), {
          path: `m${i}/etcd.conf`,
          contents: conf,
          mode: 0o644,
          secret: false,
        });
      }
      return [...files, cert('manifest.json', '{}\n')];
    };
    const bytesOf = (file: PlannedFile) => Buffer.from(typeof file.contents === 'string' ? file.contents : file.contents);

    it('writes every file with its contents and mode, and nothing else', async () => {
      const dir = temp.freshDir();
      const inFlight = new Set<string>();
      const files = bulk(700);
      const report = await writeFileSet(dir, { files }, { staged: true, inFlight });
      expect(report.written).toHaveLength(files.length);
      for (const file of files) {
        const path = join(dir, file.path);
        expect(readFileSync(path).equals(bytesOf(file)), file.path).toBe(true);
        expect(statSync(path).mode & 0o777, file.path).toBe(file.mode);
      }
      expect(tree(dir).filter((path) => !path.endsWith('/'))).toHaveLength(files.length);
      expect(inFlight.size).toBe(0);
    });

    it("removes everything when the worker's half fails, naming the file", async () => {
      const dir = temp.freshDir();
      const files = bulk(700);
      // The last file again: the worker's O_EXCL create of it fails.
      files.push({ ...files.at(-2)! });
      await expectPkiError(() => writeFileSet(dir, { files }, { staged: true }), { code: 'IO', file: join(dir, 'm699/etcd.conf') });
      expect(tree(dir)).toEqual([]);
    });

    it('stops the worker when aborted, and leaves nothing, then or later', async () => {
      const dir = temp.freshDir();
      const controller = new AbortController();
      const files = bulk(700);
      files[30] = lazily(files[30]!, () => controller.abort());
      await expectPkiError(() => writeFileSet(dir, { files }, { staged: true, signal: controller.signal }), { code: 'INTERRUPTED' });
      expect(tree(dir)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(tree(dir)).toEqual([]);
    });
  });

  it('removes what it wrote to a staged directory when a write fails', async () => {
    const dir = temp.freshDir();
    const failing = {
      ...cert('m/two.pem'),
      get contents(): string {
        throw new Error('no space left');
      },
    } as PlannedFile;
    await expectPkiError(() => writeFileSet(dir, { files: [key('m/one-key.pem'), failing] }, { staged: true }), {
      code: 'IO',
      message: 'no space left',
    });
    expect(tree(dir)).toEqual([]);
  });

  it('removes the temp files and every directory it made when a write fails', async () => {
    const dir = temp.freshDir();
    const failing = {
      ...cert('a/b/two.pem'),
      get contents(): string {
        throw new Error('the disk went away');
      },
    } as PlannedFile;
    await expectPkiError(() => writeFileSet(join(dir, 'out/deeper'), { files: [key('a/one-key.pem'), failing] }), {
      code: 'IO',
      message: 'the disk went away',
    });
    expect(tree(dir)).toEqual([]);
  });

  it('keeps directories that existed before a failed write', async () => {
    const dir = temp.freshDir();
    mkdirSync(join(dir, 'out/a'), { recursive: true });
    const failing = {
      ...cert('a/b/two.pem'),
      get contents(): string {
        throw new Error('no space left');
      },
    } as PlannedFile;
    await expect(writeFileSet(join(dir, 'out'), { files: [key('a/one-key.pem'), failing] })).rejects.toBeInstanceOf(PkiError);
    expect(tree(dir)).toEqual(['out/', 'out/a/']);
  });

  it('stops when aborted while writing: no temp file, no new directory, nothing in flight', async () => {
    const dir = temp.freshDir();
    const controller = new AbortController();
    const inFlight = new Set<string>();
    const files = [key('etcd1-key.pem'), lazily(cert('etcd1.pem'), () => controller.abort()), cert('etcd1.csr')];
    await expectPkiError(() => writeFileSet(join(dir, 'new'), { files }, { signal: controller.signal, inFlight }), {
      code: 'INTERRUPTED',
      message: 'nothing was written',
    });
    expect(tree(dir)).toEqual([]);
    expect(inFlight.size).toBe(0);
  });

  it('lists every temp file in flight from before the first directory is made until it is in place', async () => {
    const dir = temp.freshDir();
    const inFlight = new Set<string>();
    const seen: number[] = [];
    const files = [
      lazily(key('k/etcd1-key.pem'), () => seen.push(inFlight.size)),
      lazily(cert('k/etcd1.pem'), () => seen.push(inFlight.size)),
    ];
    await writeFileSet(dir, { files }, { inFlight });
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([2]));
    expect(inFlight.size).toBe(0);
  });

  it('refuses to replace an existing key without force, and leaves it as it was', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, 'etcd1-key.pem'), 'OLD KEY\n', { mode: 0o600 });
    await expectPkiError(() => writeFileSet(dir, { files: [key('etcd1-key.pem', 'NEW KEY\n'), cert('etcd1.pem')] }), {
      code: 'FILE_EXISTS',
      file: join(dir, 'etcd1-key.pem'),
      hint: '--force',
    });
    expect(readFileSync(join(dir, 'etcd1-key.pem'), 'utf8')).toBe('OLD KEY\n');
    expect(tree(dir)).toEqual(['etcd1-key.pem']);
  });

  it('replaces an existing key with force', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, 'etcd1-key.pem'), 'OLD KEY\n', { mode: 0o600 });
    await writeFileSet(dir, { files: [key('etcd1-key.pem', 'NEW KEY\n')] }, { force: true });
    expect(readFileSync(join(dir, 'etcd1-key.pem'), 'utf8')).toBe('NEW KEY\n');
  });

  it('never replaces a key another run wrote after the checks, and undoes its own', async () => {
    const dir = temp.freshDir();
    const theirs = join(dir, 'b-key.pem');
    // The other run's key appears while this one is writing its temp files.
    const files = [
      key('a-key.pem', 'MINE A\n'),
      lazily(key('b-key.pem', 'MINE B\n'), () => existsSync(theirs) || writeFileSync(theirs, 'THEIRS\n')),
      cert('b.pem'),
    ];
    await expectPkiError(() => writeFileSet(dir, { files }), { code: 'FILE_EXISTS', file: theirs });
    expect(readFileSync(theirs, 'utf8')).toBe('THEIRS\n');
    expect(tree(dir)).toEqual(['b-key.pem']);
  });

  it('refuses to write through a symbolic link, for keys and certificates alike', async () => {
    const dir = temp.freshDir();
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere', 'stolen.pem'), join(dir, 'etcd1.pem'));
    await expectPkiError(() => writeFileSet(dir, { files: [key('etcd1-key.pem'), cert('etcd1.pem')] }, { force: true }), {
      code: 'UNSAFE_PATH',
      file: join(dir, 'etcd1.pem'),
      message: 'symbolic link',
    });
    expect(tree(dir)).toEqual(['elsewhere/', 'etcd1.pem']);
  });

  it('refuses a directory below the output directory that is a symbolic link', async () => {
    const dir = temp.freshDir();
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'member'));
    await expectPkiError(() => writeFileSet(dir, { files: [key('member/etcd1-key.pem')] }), {
      code: 'UNSAFE_PATH',
      file: join(dir, 'member'),
    });
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it('refuses an output directory that is a file', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, 'file'), 'x');
    await expectPkiError(() => writeFileSet(join(dir, 'file'), { files: [key('k-key.pem')] }), {
      code: 'IO',
      message: 'not a directory',
      hint: '-dir',
    });
    await expectPkiError(() => writeFileSet(join(dir, 'file', 'below'), { files: [key('k-key.pem')] }), {
      code: 'IO',
      message: 'not a directory',
    });
    expect(tree(dir)).toEqual(['file']);
  });
});

describe('writeFileSet, after a run that was killed', () => {
  it('removes the temp files a killed run left only when they are old enough that no live run owns them', async () => {
    const dir = temp.freshDir();
    const stale = join(dir, '.etcd1-key.pem.a1b2c3000001.tmp');
    const live = join(dir, '.etcd2-key.pem.a1b2c3000002.tmp');
    writeFileSync(stale, 'half a key');
    writeFileSync(live, 'another run is writing this');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, anHourAgo, anHourAgo);
    await writeFileSet(dir, { files: [cert('etcd1.pem')] }, { removeStaleTemps: { olderThanMs: 600_000 } });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readFileSync(join(dir, 'etcd1.pem'), 'utf8')).toBe('CERT\n');
  });

  it('removes every temp file left behind when the caller holds the lock', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, '.ca-key.pem.a1b2c3000003.tmp'), 'half a key');
    writeFileSync(join(dir, 'unrelated.tmp'), 'not ours');
    await writeFileSet(dir, { files: [cert('ca.pem')] }, { removeStaleTemps: true });
    expect(tree(dir)).toEqual(['ca.pem', 'unrelated.tmp']);
  });
});

describe('assertWritableDirectory', () => {
  it('creates nothing, for a directory that does not exist yet', async () => {
    const dir = temp.freshDir();
    await assertWritableDirectory(join(dir, 'a', 'b', 'c'));
    expect(tree(dir)).toEqual([]);
  });

  it('names the file that stands where a directory should be', async () => {
    const dir = temp.freshDir();
    writeFileSync(join(dir, 'file'), 'x');
    await expectPkiError(() => assertWritableDirectory(join(dir, 'file')), { code: 'IO', message: 'is a file, not a directory' });
    await expectPkiError(() => assertWritableDirectory(join(dir, 'file', 'sub')), {
      code: 'IO',
      message: `a part of its path is a file (${join(dir, 'file')})`,
    });
    expect(tree(dir)).toEqual(['file']);
  });
});
