import { describe, expect, it } from 'vitest';
import { loadClusterDescription } from '../../../src/bundle/load.js';
import { renderReadme } from '../../../src/bundle/render/readme.js';
import { fixture } from '../../support/fixtures.js';

describe('renderReadme', () => {
  const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
  const text = renderReadme({ cluster, caKeyInBundle: true });

  it('says which directory goes to which node', () => {
    expect(text).toContain("etcd1/       member etcd1's node (192.168.0.91)");
    expect(text).toContain("etcd3/       member etcd3's node (192.168.0.93)");
    expect(text).toContain('etcdctl/     where etcdctl runs');
    expect(text).toMatch(/ca\/ +nowhere/);
  });

  it('gives the owner and mode steps: chown etcd:etcd, keys 0600', () => {
    expect(text).toContain('install -d -m 0750 -o etcd -g etcd /etc/etcd/pki');
    expect(text).toContain('install -m 0600 -o etcd -g etcd etcd1-key.pem etcd1-peer-key.pem /etc/etcd/pki/');
    expect(text).toContain('scp -r etcd1 root@192.168.0.91:');
  });

  it('shows how to check the cluster and add a member', () => {
    expect(text).toContain('set -a; . /etc/etcd/pki/etcdctl.env; set +a');
    expect(text).toContain('etcd-pki add-member');
  });

  it('says where the CA key is when it is not in the bundle', () => {
    expect(renderReadme({ cluster, caKeyInBundle: false })).toContain('its key stayed where -ca-key was');
  });
});
