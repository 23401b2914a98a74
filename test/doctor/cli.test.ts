// `etcd-pki doctor` as the CLI runs it (in process, through main): inputs, report, --json, exit
// status, -root with files installed by a bundle's own install.sh, and the etcd command line.
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp.js';
import { WALKTHROUGH_MEMBERS, cli } from '../support/in-process.js';

const etcdUser = (() => {
  try {
    return execFileSync('id', ['-u', 'etcd'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
})();
const asRoot = process.getuid?.() === 0;

describe('etcd-pki doctor', () => {
  const temp = useTempDir('etcd-pki-doctor-cli-');
  const out = join(temp.path, 'out');

  beforeAll(async () => {
    const made = await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-out', out, '--quiet']);
    expect(made.status, made.stderr).toBe(0);
  });

  it('reports a clean bundle by member and exits 0', async () => {
    const result = await cli(['doctor', '-bundle', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^member etcd1 {2}\(0 FAIL, 0 WARN, \d+ OK\)\n {2}OK {4}config\.settings/);
    expect(result.stdout).toContain('client etcdctl  (0 FAIL, 0 WARN,');
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^0 FAIL, 0 WARN, \d+ OK: no problem found$/);
  });

  it('prints the findings as JSON with --json', async () => {
    const result = await cli(['doctor', '-bundle', out, '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as {
      status: string;
      summary: Record<string, number>;
      subjects: string[];
      findings: Array<Record<string, unknown>>;
    };
    expect(json.status).toBe('OK');
    expect(json.subjects).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcdctl']);
    expect(json.summary.FAIL).toBe(0);
    expect(json.findings[0]).toEqual({
      check: 'config.settings',
      severity: 'OK',
      member: 'etcd1',
      kind: 'member',
      evidence: expect.stringContaining('etcd1/etcd.conf'),
    });
  });

  it('exits 1 with the failing check, its evidence and fix when a key is readable by others', async () => {
    const key = join(out, 'etcd2', 'etcd2-peer-key.pem');
    chmodSync(key, 0o644);
    try {
      const result = await cli(['doctor', '-bundle', out, '--brief']);
      expect(result.status).toBe(6);
      expect(result.stdout).toMatch(
        / {2}FAIL {2}files\.key-permissions {9}ETCD_PEER_KEY_FILE=\/etc\/etcd\/pki\/etcd2-peer-key\.pem is \S+:\S+ 0644: every local user can read the private key\n/,
      );
      expect(result.stdout).toContain('        fix:                          chmod 0600 /etc/etcd/pki/etcd2-peer-key.pem');
      expect(result.stdout).not.toContain('  OK  ');
      expect(result.stderr).toBe(
        'etcd-pki: doctor found 1 problem(s) that make etcd or its clients fail; apply the "fix" of each FAIL above, then run doctor again\n',
      );
    } finally {
      chmodSync(key, 0o600);
    }
  });

  describe.runIf(asRoot && etcdUser)('on files installed by install.sh under -root (as root, with the etcd user)', () => {
    const install = (member: string, root: string, owner: string) =>
      execFileSync('sh', [join(out, member, 'install.sh')], { env: { ...process.env, DESTDIR: root, OWNER: owner }, encoding: 'utf8' });

    it('finds etcd:etcd 0600 keys readable by etcd, and two nodes checked at once', async () => {
      const [r1, r2] = [join(temp.path, 'node1'), join(temp.path, 'node2')];
      install('etcd1', r1, 'etcd:etcd');
      install('etcd2', r2, 'etcd:etcd');
      const one = await cli(['doctor', '-conf', join(r1, 'etc/etcd/etcd.conf'), '-root', r1, '-user', 'etcd']);
      expect(one.stdout).toContain('OK    files.readable                etcd (uid');
      expect(one.status, one.stdout).toBe(0);
      const two = await cli([
        'doctor',
        '-conf',
        join(r1, 'etc/etcd/etcd.conf'),
        '-root',
        r1,
        '-conf',
        join(r2, 'etc/etcd/etcd.conf'),
        '-root',
        r2,
        '--brief',
      ]);
      expect(two.status, two.stdout).toBe(0);
      expect(two.stdout).toContain('member etcd2  (0 FAIL, 0 WARN');
    });

    it('reports root:root 0600 keys as unreadable by etcd: the walkthrough\'s "permission denied"', async () => {
      const root = join(temp.path, 'node3');
      install('etcd3', root, 'root:root');
      const result = await cli(['doctor', '-conf', join(root, 'etc/etcd/etcd.conf'), '-root', root, '-user', 'etcd', '--brief']);
      expect(result.status).toBe(6);
      expect(result.stdout).toContain(
        'FAIL  files.readable                ETCD_PEER_KEY_FILE=/etc/etcd/pki/etcd3-peer-key.pem is root:root 0600; etcd (uid',
      );
      expect(result.stdout).toContain(
        'fix:                          chown etcd:etcd /etc/etcd/pki/etcd3-peer-key.pem && chmod 0600 /etc/etcd/pki/etcd3-peer-key.pem',
      );
      // install.sh made /etc/etcd/pki root:root 0750 too: etcd cannot even enter it.
      expect(result.stdout).toContain('cannot enter /etc/etcd/pki (root:root 0750)');
    });

    it('reads an etcd command line after --, following --config-file', async () => {
      const root = join(temp.path, 'node1');
      const yaml = await cli(['doctor', '-root', root, '--brief', '--', 'etcd', '--config-file', '/etc/etcd/etcd.yaml']);
      expect(yaml.status, yaml.stdout).toBe(0);
      expect(yaml.stdout).toMatch(/^member etcd1 /);
      const flags = await cli([
        'doctor',
        '-root',
        root,
        '--brief',
        '--',
        'etcd',
        '--name',
        'etcd1',
        '--cert-file=/etc/etcd/pki/etcd1.pem',
        '--key-file=/etc/etcd/pki/etcd2-key.pem',
        '--advertise-client-urls',
        'https://192.168.0.91:2379',
        '--listen-client-urls',
        'https://192.168.0.91:2379',
      ]);
      expect(flags.status).toBe(6);
      expect(flags.stdout).toContain('FAIL  files.present                 --key-file=/etc/etcd/pki/etcd2-key.pem:');
    });
  });

  it('reads a client environment given with -conf', async () => {
    const env = temp.write('etcdctl.env', 'ETCDCTL_ENDPOINTS="https://192.168.0.91:2379"\n');
    const result = await cli(['doctor', '-bundle', out, '-conf', env, '--brief']);
    expect(result.status).toBe(6);
    expect(result.stdout).toContain('client etcdctl (');
    expect(result.stdout).toContain('FAIL  client.ca                     ETCDCTL_CACERT is not set');
  });

  it.each([
    { name: 'nothing to check', args: [], message: 'doctor needs something to check' },
    {
      name: 'two -root for three configurations',
      args: ['-conf', 'a', '-conf', 'b', '-conf', 'c', '-root', 'x', '-root', 'y'],
      message: '2 -root directories for 3 configurations',
    },
    {
      name: 'a -warn-days that is not a number',
      args: ['-bundle', 'x', '-warn-days', 'soon'],
      message: '-warn-days must be a whole number of days',
    },
    { name: '-cert without -key', args: ['-endpoint', 'https://127.0.0.1:1', '-cert', 'c.pem'], message: '-cert and -key go together' },
  ])('exits 2 for $name', async ({ args, message }) => {
    const result = await cli(['doctor', ...args]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 2 for an unknown -user, and 4 for a missing configuration', async () => {
    const conf = temp.write('etcd.conf', 'ETCD_NAME="etcd1"\n');
    expect((await cli(['doctor', '-conf', conf, '-user', 'no-such-user-here'])).status).toBe(2);
    const missing = await cli(['doctor', '-conf', join(temp.path, 'nope.conf')]);
    expect(missing.status).toBe(4);
    expect(missing.stderr).toContain('nope.conf: cannot read: no such file or directory');
  });

  it('lists every check in --help', async () => {
    const result = await cli(['doctor', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('files.readable');
    expect(result.stdout).toContain('cluster.unique-peer-cert');
    expect(result.stdout).toContain('etcd-pki doctor -bundle etcd-pki-out');
  });
});
