import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoriesOf, flushToDisk, syncDirectory } from '../../src/io/flush.js';
import { useTempDir } from '../support/temp.js';

const temp = useTempDir('etcd-pki-flush-');

describe('directoriesOf', () => {
  it('lists the output directory and every directory between it and the files, once each', () => {
    const dirs = directoriesOf('/o', ['/o/a/b/one.pem', '/o/a/b/two.pem', '/o/a/three.pem', '/o/top.json', '/o/c/four.pem']);
    expect(dirs.sort()).toEqual(['/o', '/o/a', '/o/a/b', '/o/c']);
  });
});

describe('flushToDisk and syncDirectory', () => {
  it('flush files and directories that exist, one by one or all at once', async () => {
    const dir = temp.join('out');
    mkdirSync(join(dir, 'm'), { recursive: true });
    const files = Array.from({ length: 70 }, (_, i) => join(dir, 'm', `f${i}`));
    for (const file of files) writeFileSync(file, 'x');
    expect(() => flushToDisk(dir, [files[0]!, join(dir, 'm'), dir])).not.toThrow();
    expect(() => flushToDisk(dir, [...files, ...directoriesOf(dir, files)])).not.toThrow();
    await expect(syncDirectory(dir)).resolves.toBeUndefined();
  });

  it('report a directory that is not there', async () => {
    await expect(syncDirectory(temp.join('missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
