import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderInstallScript } from '../../../src/bundle/render/install-sh.js';
import { useTempDir } from '../../support/temp.js';

const me = (() => {
  const user = userInfo();
  const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
  return `${user.username}:${group}`;
})();

const script = renderInstallScript({
  kind: 'member',
  name: 'etcd1',
  token: 'etcd-cluster',
  pkiDir: '/etc/etcd/pki',
  owner: 'etcd:etcd',
  files: [
    { name: 'ca.pem', mode: 0o644 },
    { name: 'etcd1.pem', mode: 0o644 },
    { name: 'etcd1-key.pem', mode: 0o600 },
  ],
  configs: [{ name: 'etcd.conf', variable: 'ETCD_CONF', destination: '/etc/etcd/etcd.conf', description: 'Debian: /etc/default/etcd' }],
  next: 'systemctl restart etcd',
});

describe('renderInstallScript', () => {
  const temp = useTempDir('etcd-pki-install-');
  const bundle = temp.join('etcd1');
  const root = temp.join('root');
  spawnSync('mkdir', ['-p', bundle, root]);
  for (const [name, text] of [
    ['ca.pem', 'CA\n'],
    ['etcd1.pem', 'CERT\n'],
    ['etcd1-key.pem', 'KEY\n'],
    ['etcd.conf', 'ETCD_NAME="etcd1"\n'],
  ] as const) {
    writeFileSync(join(bundle, name), text, { mode: 0o600 });
  }
  writeFileSync(join(bundle, 'install.sh'), script, { mode: 0o755 });
  const install = (env: Record<string, string> = {}) =>
    spawnSync('sh', [join(bundle, 'install.sh')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DESTDIR: root, OWNER: me, ...env },
      encoding: 'utf8',
    });
  const mode = (path: string) => (statSync(join(root, path)).mode & 0o777).toString(8);

  it('is a POSIX sh script that sh -n accepts', () => {
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
  });

  it('installs keys 0600 and certificates 0644 in a 0750 pki directory, with the owner, and says so', () => {
    const result = install();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(mode('etc/etcd/pki')).toBe('750');
    expect(mode('etc/etcd')).toBe('755');
    expect(mode('etc/etcd/pki/etcd1-key.pem')).toBe('600');
    expect(mode('etc/etcd/pki/etcd1.pem')).toBe('644');
    expect(mode('etc/etcd/pki/ca.pem')).toBe('644');
    expect(mode('etc/etcd/etcd.conf')).toBe('644');
    expect(readFileSync(join(root, 'etc/etcd/pki/etcd1-key.pem'), 'utf8')).toBe('KEY\n');
    expect(result.stdout).toContain(`installed ${root}/etc/etcd/pki/etcd1-key.pem (mode 0600, owner ${me})`);
    expect(result.stdout).toContain(`installed ${root}/etc/etcd/etcd.conf (mode 0644)`);
    expect(result.stdout).toContain('next: systemctl restart etcd');
    // The key and certificate are links into one generation directory, switched at once.
    expect(readlinkSync(join(root, 'etc/etcd/pki/etcd1-key.pem'))).toBe('.etcd-pki.etcd1/etcd1-key.pem');
    expect(readlinkSync(join(root, 'etc/etcd/pki/.etcd-pki.etcd1'))).toMatch(/^\.etcd-pki\.etcd1\.\d{14}-\d+$/);
  });

  it('leaves identical files alone but repairs their mode', () => {
    chmodSync(join(root, 'etc/etcd/pki/etcd1-key.pem'), 0o644);
    const result = install();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`unchanged ${root}/etc/etcd/pki/etcd1-key.pem (mode 0600`);
    expect(mode('etc/etcd/pki/etcd1-key.pem')).toBe('600');
    expect(readdirSync(join(root, 'etc/etcd/pki')).filter((f) => f.includes('.bak.'))).toEqual([]);
  });

  it('replaces a key without keeping the old one, keeps one previous generation of certificates, and leaves no temp file', () => {
    writeFileSync(join(bundle, 'etcd1-key.pem'), 'NEW KEY\n', { mode: 0o600 });
    writeFileSync(join(bundle, 'etcd1.pem'), 'NEW CERT\n', { mode: 0o600 });
    const result = install();
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(root, 'etc/etcd/pki/etcd1-key.pem'), 'utf8')).toBe('NEW KEY\n');
    expect(result.stdout).toContain('next: no restart');
    writeFileSync(join(bundle, 'etcd1-key.pem'), 'NEWER KEY\n', { mode: 0o600 });
    writeFileSync(join(bundle, 'etcd1.pem'), 'NEWER CERT\n', { mode: 0o600 });
    expect(install().status).toBe(0);
    const pki = join(root, 'etc/etcd/pki');
    const generations = readdirSync(pki).filter((f) => /^\.etcd-pki\.etcd1\./.test(f));
    expect(generations).toHaveLength(2);
    const previous = generations.find((g) => join(pki, g) !== join(pki, readlinkSync(join(pki, '.etcd-pki.etcd1'))))!;
    expect(readdirSync(join(pki, previous)).sort()).toEqual(['ca.pem', 'etcd1.pem']);
    expect(readFileSync(join(pki, previous, 'etcd1.pem'), 'utf8')).toBe('NEW CERT\n');
    expect(readdirSync(pki).filter((f) => f.includes('.bak.') || f.includes('etcd-pki-tmp') || f.endsWith('.etcd-pki-link'))).toEqual([]);
  });

  it('says a trust or configuration change needs this member restarted, one member at a time', () => {
    writeFileSync(join(bundle, 'ca.pem'), 'CA2\n', { mode: 0o600 });
    const result = install();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'next: restart etcd on this member only, and one member at a time: etcd reads its trusted CA file (ca.pem) only when it starts',
    );
    expect(readFileSync(join(root, 'etc/etcd/pki/ca.pem'), 'utf8')).toBe('CA2\n');
    writeFileSync(join(bundle, 'etcd.conf'), 'ETCD_NAME="etcd1"\nETCD_DEBUG="true"\n', { mode: 0o600 });
    const conf = install();
    expect(conf.stdout).toContain('etcd reads its configuration (etcd.conf) only when it starts');
    expect(readFileSync(join(root, 'etc/etcd/etcd.conf.prev'), 'utf8')).toBe('ETCD_NAME="etcd1"\n');
    expect(install().stdout).toContain('next: nothing changed on this node');
  });

  it('puts etcd.conf where ETCD_CONF says (Debian)', () => {
    const result = install({ ETCD_CONF: '/etc/default/etcd' });
    expect(result.status).toBe(0);
    expect(existsSync(join(root, 'etc/default/etcd'))).toBe(true);
  });

  it('stops before installing anything when the owner does not exist', () => {
    const result = install({ OWNER: 'no-such-user-etcd-pki:nogroup', DESTDIR: temp.join('other') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('there is no user no-such-user-etcd-pki');
    expect(existsSync(temp.join('other'))).toBe(false);
  });
});
