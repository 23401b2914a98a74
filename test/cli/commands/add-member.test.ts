import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp.js';
import { WALKTHROUGH_MEMBERS, cli } from '../../support/in-process.js';

describe('etcd-pki add-member', () => {
  const temp = useTempDir('etcd-pki-add-member-');

  it('adds etcd4 and prints the etcdctl member add command', async () => {
    const out = temp.join('bundle');
    expect((await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-out', out, '--quiet'])).status).toBe(0);
    const result = await cli(['add-member', '-out', out, '-member', 'etcd4=192.168.0.94']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('\n   etcdctl member add etcd4 --peer-urls=https://192.168.0.94:2380\n');
    expect(readFileSync(join(out, 'etcd4/etcd.conf'), 'utf8')).toContain('ETCD_INITIAL_CLUSTER_STATE="existing"');
    const json = await cli(['add-member', '-out', out, '-member', 'etcd5=192.168.0.95', '-peer-port', '12380', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      member: 'etcd5',
      command: ['etcdctl', 'member', 'add', 'etcd5', '--peer-urls=https://192.168.0.95:12380'],
    });
  });

  it('run again as it was (after a kill), completes the member and prints its steps again; another address for the name is refused (issue 16, item 6)', async () => {
    const out = temp.join('again');
    expect((await cli(['cluster-bundle', ...WALKTHROUGH_MEMBERS, '-out', out, '--quiet'])).status).toBe(0);
    expect((await cli(['add-member', '-out', out, '-member', 'etcd4=192.168.0.94'])).status).toBe(0);
    const again = await cli(['add-member', '-out', out, '-member', 'etcd4=192.168.0.94']);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('etcdctl member add etcd4 --peer-urls=https://192.168.0.94:2380');
    const other = await cli(['add-member', '-out', out, '-member', 'etcd4=192.168.0.95']);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain('already has a member named "etcd4"');
  });

  it.each([
    { name: 'needs -member', args: ['-out', '.'], status: 2, message: 'needs the new member' },
    { name: 'needs a bundle', args: ['-out', '/nonexistent/bundle', '-member', 'a=10.0.0.1'], status: 4, message: 'no manifest.json' },
    { name: 'refuses a bad port', args: ['-out', '.', '-member', 'a=10.0.0.1', '-client-port', '70000'], status: 2, message: 'not a port' },
  ])('$name', async ({ args, status, message }) => {
    const result = await cli(['add-member', ...args]);
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(message);
  });

  it('has --help with a worked example', async () => {
    const result = await cli(['add-member', '--help']);
    expect(result.stdout).toContain('etcd-pki add-member -out etcd-pki-out -member etcd4=192.168.0.94');
  });
});
