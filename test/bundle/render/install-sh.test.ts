import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    spawnSync('sh', [join(bundle, 'install.sh')], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DESTDIR: root, OWNER: me, ...env }, encoding: 'utf8' });
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
  });

  it('leaves identical files alone but repairs their mode', () => {
    chmodSync(join(root, 'etc/etcd/pki/etcd1-key.pem'), 0o644);
    const result = install();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`unchanged ${root}/etc/etcd/pki/etcd1-key.pem (mode 0600`);
    expect(mode('etc/etcd/pki/etcd1-key.pem')).toBe('600');
    expect(readdirSync(join(root, 'etc/etcd/pki')).filter((f) => f.includes('.bak.'))).toEqual([]);
  });

  it('backs up a file it replaces, keeping its mode, and leaves no temp file', () => {
    writeFileSync(join(bundle, 'etcd1-key.pem'), 'NEW KEY\n', { mode: 0o600 });
    const result = install();
    expect(result.status).toBe(0);
    const backups = readdirSync(join(root, 'etc/etcd/pki')).filter((f) => f.startsWith('etcd1-key.pem.bak.'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(root, 'etc/etcd/pki', backups[0]!), 'utf8')).toBe('KEY\n');
    expect(mode(`etc/etcd/pki/${backups[0]!}`)).toBe('600');
    expect(readFileSync(join(root, 'etc/etcd/pki/etcd1-key.pem'), 'utf8')).toBe('NEW KEY\n');
    expect(result.stdout).toMatch(/backed up .*etcd1-key\.pem as .*etcd1-key\.pem\.bak\.\d{14}/);
    expect(readdirSync(join(root, 'etc/etcd/pki')).filter((f) => f.includes('etcd-pki-tmp'))).toEqual([]);
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
