import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../support/fixtures.js';
import { useTempDir } from '../../support/temp.js';
import { WALKTHROUGH_MEMBERS, cli } from '../../support/in-process.js';

describe('etcd-pki cluster-bundle', () => {
  const temp = useTempDir('etcd-pki-cluster-bundle-');

  it('makes the bundle from -member flags (Go spellings) and says what to do next', async () => {
    const out = temp.join('flags');
    const result = await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, `-out=${out}`]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('certificates: 7 issued, 0 re-issued, 0 kept');
    expect(result.stdout).toContain(`read ${out}/README.txt`);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'ca', 'etcd1', 'etcd2', 'etcd3', 'etcdctl', 'manifest.json']);
    expect(statSync(join(out, 'etcd1')).mode & 0o777).toBe(0o700);
    expect(statSync(join(out, 'etcd1/etcd1-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, 'etcd1/install.sh')).mode & 0o777).toBe(0o755);
    expect(existsSync(join(out, '.etcd-pki.lock'))).toBe(false);
  });

  it('keeps everything on a second run, and re-runs from manifest.json when no member is given', async () => {
    const out = temp.join('flags');
    const key = readFileSync(join(out, 'etcd2/etcd2-key.pem'), 'utf8');
    const again = await cli(['cluster-bundle', `-out=${out}`, '--json']);
    expect(again.status).toBe(0);
    const report = JSON.parse(again.stdout) as { ca: string; written: string[]; certificates: Array<{ status: string }> };
    expect(report.ca).toBe('kept');
    expect(report.written).toEqual([]);
    expect(report.certificates.every((c) => c.status === 'kept')).toBe(true);
    expect(readFileSync(join(out, 'etcd2/etcd2-key.pem'), 'utf8')).toBe(key);
  });

  it('applies the description flags', async () => {
    const out = temp.join('options');
    const result = await cli([
      'cluster-bundle',
      ...WALKTHROUGH_MEMBERS,
      '-client',
      'etcdctl',
      '-client',
      'kube-apiserver-etcd-client',
      '-out',
      out,
      '-pki-dir',
      '/srv/etcd/{name}',
      '-data-dir',
      '/var/lib/etcd/default.etcd',
      '-token',
      'walkthrough',
      '-subject',
      'C=US,ST=San Francisco,L=CA',
      '-server-expiry',
      '720h',
      '-no-localhost',
      '-shared-server-cert',
      '--quiet',
    ]);
    expect(result.stderr).toBe('');
    const conf = readFileSync(join(out, 'etcd3/etcd.conf'), 'utf8');
    expect(conf).toContain('ETCD_CERT_FILE="/srv/etcd/etcd3/etcd3.pem"');
    expect(conf).toContain('ETCD_DATA_DIR="/var/lib/etcd/default.etcd"');
    expect(conf).toContain('ETCD_INITIAL_CLUSTER_TOKEN="walkthrough"');
    expect(conf).toContain('ETCD_LISTEN_CLIENT_URLS="https://192.168.0.93:2379"\n');
    expect(readFileSync(join(out, 'etcd3/etcd3.pem'))).toEqual(readFileSync(join(out, 'etcd1/etcd1.pem')));
    expect(readFileSync(join(out, 'kube-apiserver-etcd-client/kube-apiserver-etcd-client.env'), 'utf8')).toContain(
      'ETCDCTL_CERT="/srv/etcd/kube-apiserver-etcd-client/kube-apiserver-etcd-client.pem"',
    );
  });

  it('reads -config and takes an existing cfssl CA without copying its key', async () => {
    const out = temp.join('config');
    const result = await cli([
      'cluster-bundle',
      '-config',
      fixturePath('cluster/walkthrough.json'),
      '-ca',
      fixturePath('cfssl/rootca.pem'),
      '-ca-key',
      fixturePath('cfssl/rootca-key.pem'),
      '-out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('CA external');
    expect(readFileSync(join(out, 'ca/ca.pem'), 'utf8')).toBe(readFileSync(fixturePath('cfssl/rootca.pem'), 'utf8'));
    expect(existsSync(join(out, 'ca/ca-key.pem'))).toBe(false);
  });

  it.each([
    { name: 'refuses no members at all', args: [], status: 2, message: 'no members given', hint: '-member etcd1=192.168.0.91' },
    { name: 'refuses -member with -config', args: ['-config', 'c.json', ...WALKTHROUGH_MEMBERS], status: 2, message: 'cannot be combined' },
    { name: 'refuses a malformed -member', args: ['-member', 'etcd1'], status: 2, message: 'NAME=IP' },
    {
      name: "refuses the walkthrough's copied etcd4 block",
      args: [...WALKTHROUGH_MEMBERS, '-member', 'etcd4=192.168.0.93'],
      status: 1,
      message: '192.168.0.93:2379',
    },
    {
      name: 'refuses -config with a mistake, naming the file and path',
      args: ['-config', fixturePath('cluster/invalid/relative-pki-dir.json')],
      status: 1,
      message: 'relative-pki-dir.json: pkiDir: pkiDir "pki/{name}" is not an absolute path',
    },
    { name: 'refuses an unknown key algorithm', args: [...WALKTHROUGH_MEMBERS, '-key-algo', 'dsa'], status: 2, message: 'dsa' },
  ])('$name', async ({ args, status, message, hint }) => {
    const out = temp.join(`fail-${Math.random().toString(36).slice(2)}`);
    const result = await cli(['cluster-bundle', ...args, '-out', out]);
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(message);
    if (hint) expect(result.stderr).toContain(hint);
    expect(existsSync(out)).toBe(false);
  });

  it('names the bundle file at fault', async () => {
    const out = temp.join('broken');
    expect((await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-out', out, '--quiet'])).status).toBe(0);
    writeFileSync(join(out, 'etcd2/etcd2-peer-key.pem'), '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n');
    const result = await cli(['cluster-bundle', '-out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${out}/etcd2/etcd2-peer-key.pem`);
    expect(result.stderr).toContain('--force');
  });

  it('draws progress only on a terminal, and not with --quiet', async () => {
    const tty = await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-out', temp.join('tty')], true);
    expect(tty.stderr).toContain('certificates [');
    const quiet = await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-out', temp.join('tty-quiet'), '--quiet'], true);
    expect(quiet.stderr).toBe('');
  });

  it('has --help with a worked example', async () => {
    const result = await cli(['cluster-bundle', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('etcd-pki cluster-bundle -member etcd1=192.168.0.91 -member etcd2=192.168.0.92');
    expect(result.stdout).toContain('--shared-server-cert');
  });
});
