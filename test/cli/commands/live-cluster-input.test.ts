// Issue 16 items 4, 14 and 15: a re-run of the original cluster-bundle command never removes a
// member added since; a host that looks like an IP address but is not one is named as such; a
// certificate asked to outlive its CA is never issued silently (gencert issues what cfssl issues,
// and says so).
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/in-process.js';
import { run } from '../../support/run.js';
import { useTempDir } from '../../support/temp.js';

const temp = useTempDir('etcd-pki-live-input-');
const FOUNDERS = ['-member', 'etcd1=192.168.0.91', '-member', 'etcd2=192.168.0.92', '-member', 'etcd3=192.168.0.93'];

describe('re-running the original cluster-bundle command after add-member (issue 16, item 4)', () => {
  it("keeps the added member in the clients' endpoints, the manifest and the README, and says removing is remove-member", async () => {
    const out = temp.join('rerun');
    expect((await cli(['cluster-bundle', ...FOUNDERS, '-out', out, '--quiet'])).status).toBe(0);
    expect((await cli(['add-member', '-out', out, '-member', 'etcd4=192.168.0.94'])).status).toBe(0);
    const added = readFileSync(join(out, 'etcdctl/etcdctl.env'), 'utf8');
    expect(added).toContain('https://192.168.0.94:2379');

    const again = await cli(['cluster-bundle', ...FOUNDERS, '-out', out]);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(out, 'etcdctl/etcdctl.env'), 'utf8')).toBe(added);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      cluster: { members: Array<{ name: string }> };
      files: Array<{ owner: string | null }>;
    };
    expect(manifest.cluster.members.map((m) => m.name)).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd4']);
    expect(manifest.files.some((f) => f.owner === 'etcd4')).toBe(true);
    // etcd4 joined an existing cluster: its etcd.conf keeps saying so.
    expect(readFileSync(join(out, 'etcd4/etcd.conf'), 'utf8')).toContain('ETCD_INITIAL_CLUSTER_STATE="existing"');
    expect(again.stderr).toContain('etcd4');
    expect(again.stderr).toContain('remove-member');
    expect(again.stderr).not.toContain('no longer in the description');
  });
});

describe('-member with a host that is not a valid IP address (issue 16, item 14)', () => {
  it.each(['192.168.0.9.2', '192.168.0.256', '10.0.0.1.'])('-member etcd2=%s says the host is not a valid IP address', async (host) => {
    const result = await cli([
      'cluster-bundle',
      '-member',
      'etcd1=192.168.0.91',
      '-member',
      `etcd2=${host}`,
      '-out',
      temp.join(`bad-${host}`),
    ]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`host "${host}" of member "etcd2" is not a valid IP address`);
    expect(result.stderr).not.toContain('has no IP address');
    expect(result.stderr).not.toContain('192.168.0.91,');
  });
});

describe('certificates asked to outlive their CA (issue 16, item 15)', () => {
  it("cluster-bundle -server-expiry beyond the CA warns, naming the certificates and the CA's end", async () => {
    const out = temp.join('long');
    const result = await cli([
      'cluster-bundle',
      '-member',
      'etcd1=192.168.0.91',
      '-ca-expiry',
      '8760h',
      '-server-expiry',
      '100000h',
      '-out',
      out,
    ]);
    expect(result.status, result.stderr).toBe(0);
    const ca = new X509Certificate(readFileSync(join(out, 'ca/ca.pem')));
    expect(result.stderr).toContain('etcd1/etcd1.pem');
    expect(result.stderr).toContain('after its CA expires');
    expect(result.stderr).toContain(new Date(ca.validTo).toISOString().slice(0, 10));
    // Peer and client certificates (8760h) end with the CA at most: not named.
    expect(result.stderr).not.toContain('etcd1-peer.pem');
  });

  it("add-member (with the bundle's long -server-expiry) and renew -expiry beyond the CA warn too", async () => {
    const out = temp.join('long-add');
    expect(
      (
        await cli([
          'cluster-bundle',
          '-member',
          'etcd1=192.168.0.91',
          '-ca-expiry',
          '8760h',
          '-server-expiry',
          '100000h',
          '-out',
          out,
          '--quiet',
        ])
      ).status,
    ).toBe(0);
    const added = await cli(['add-member', '-out', out, '-member', 'etcd2=192.168.0.92']);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stderr).toContain('etcd2/etcd2.pem');
    expect(added.stderr).toContain('after its CA expires');
    const renewed = await cli(['renew', '-out', out, '-client', 'etcdctl', '-expiry', '100000h']);
    expect(renewed.status, renewed.stderr).toBe(0);
    expect(renewed.stderr).toContain('after its CA expires');
  });

  it('gencert issues the same validity as cfssl (no cap) and warns on stderr', async () => {
    const dir = temp.freshDir();
    const write = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value));
    write('ca-csr.json', { CN: 'short CA', key: { algo: 'ecdsa', size: 256 }, ca: { expiry: '100h' } });
    write('config.json', { signing: { default: { expiry: '100000h', usages: ['server auth'] } } });
    write('leaf.json', { CN: 'leaf', hosts: ['127.0.0.1'], key: { algo: 'ecdsa', size: 256 } });
    const init = await run('cfssl', ['gencert', '-initca', 'ca-csr.json'], { cwd: dir });
    const ca = JSON.parse(init.stdout) as { cert: string; key: string };
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    writeFileSync(join(dir, 'ca-key.pem'), ca.key);
    const args = [
      'gencert',
      '-ca',
      join(dir, 'ca.pem'),
      '-ca-key',
      join(dir, 'ca-key.pem'),
      '-config',
      join(dir, 'config.json'),
      join(dir, 'leaf.json'),
    ];
    const theirs = JSON.parse((await run('cfssl', args, { cwd: dir })).stdout) as { cert: string };
    const ours = await cli(args);
    expect(ours.status, ours.stderr).toBe(0);
    const end = (pem: string) => Math.round(new Date(new X509Certificate(pem).validTo).getTime() / 60_000);
    const caEnd = end(ca.cert);
    expect(end(theirs.cert)).toBeGreaterThan(caEnd);
    expect(Math.abs(end((JSON.parse(ours.stdout) as { cert: string }).cert) - end(theirs.cert))).toBeLessThanOrEqual(1);
    expect(ours.stderr).toMatch(/\[WARNING\] .*outlives? its CA|after its CA expires/);
  });
});
