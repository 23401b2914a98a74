// -bare writes hold a lock per base name (.NAME.etcd-pki.lock in the output directory) while they
// write, so that two runs writing the same names cannot interleave their renames and leave one
// run's key beside the other's certificate.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/in-process.js';
import { fixturePath } from '../support/fixtures.js';
import { useTempDir } from '../support/temp.js';

describe('gencert -bare and its lock', () => {
  const temp = useTempDir('etcd-pki-bare-lock-');
  const dir = temp.path;
  const gencert = (name: string) =>
    cli([
      'gencert',
      `-ca=${join(dir, 'ca.pem')}`,
      `-ca-key=${join(dir, 'ca-key.pem')}`,
      `-config=${fixturePath('seed/ca-config.json')}`,
      '-profile=peer',
      '--force',
      '-dir',
      dir,
      '-bare',
      name,
      fixturePath('seed/etcd1-peer-csr.json'),
    ]);
  const lock = (name: string) => join(dir, `.${name}.etcd-pki.lock`);

  beforeAll(async () => {
    const ca = await cli(['gencert', '-initca', '-dir', dir, '-bare', 'ca', fixturePath('seed/rootca-csr.json')]);
    expect(ca.status, ca.stderr).toBe(0);
  });

  it('leaves no lock file after a run', async () => {
    const result = await gencert('leaf');
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(dir).filter((entry) => entry.includes('lock'))).toEqual([]);
  });

  it('refuses, naming the holder and the files, while a live run holds the name; writes nothing', async () => {
    const before = readFileSync(join(dir, 'leaf.pem'), 'utf8');
    writeFileSync(lock('leaf'), `${process.pid}\n`);
    try {
      const result = await gencert('leaf');
      expect(result.status).toBe(5);
      expect(result.stderr).toContain(`another etcd-pki (pid ${process.pid}) is writing ${join(dir, 'leaf-key.pem')}`);
      expect(result.stderr).toContain('wait for it to finish');
      expect(readFileSync(join(dir, 'leaf.pem'), 'utf8')).toBe(before);
      expect(readFileSync(lock('leaf'), 'utf8')).toBe(`${process.pid}\n`);
      expect(readdirSync(dir).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
      // Another name in the same directory is not held up.
      const other = await gencert('other');
      expect(other.status, other.stderr).toBe(0);
    } finally {
      rmSync(lock('leaf'), { force: true });
    }
  });

  it('takes over a lock whose process is gone, and leaves a matching key and certificate', async () => {
    writeFileSync(lock('leaf'), '2147483646\n'); // no such process
    const result = await gencert('leaf');
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(lock('leaf'))).toBe(false);
    const certificate = new X509Certificate(readFileSync(join(dir, 'leaf.pem')));
    expect(certificate.checkPrivateKey(createPrivateKey(readFileSync(join(dir, 'leaf-key.pem'))))).toBe(true);
  });
});
