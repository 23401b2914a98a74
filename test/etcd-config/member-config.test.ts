import { describe, expect, it } from 'vitest';
import { describeSetting, detectConfigFormat, parseConfigFile, parseInitialCluster } from '../../src/etcd-config/member-config.js';
import { fixture } from '../support/fixtures.js';

describe('parseConfigFile', () => {
  it("reads a member's etcd.conf with etcd's defaults for what it leaves out", () => {
    const parsed = parseConfigFile(fixture('doctor/root-owned-keys/etcd4.conf'), 'etcd4.conf');
    expect(parsed.kind).toBe('member');
    if (parsed.kind !== 'member') return;
    expect(parsed.config).toMatchObject({
      name: 'etcd4',
      listenPeerUrls: ['http://192.168.0.94:2380'],
      listenClientUrls: ['http://192.168.0.94:2379', 'http://127.0.0.1:2379'],
      initialClusterState: 'existing',
      initialClusterToken: 'etcd-cluster',
      client: { clientCertAuth: false, autoTls: false },
      peer: {
        certFile: '/etc/etcd/pki/etcd4-peer.pem',
        keyFile: '/etc/etcd/pki/etcd4-peer-key.pem',
        trustedCaFile: '/etc/etcd/pki/rootca.pem',
        clientCertAuth: true,
      },
    });
    expect(parsed.config.initialCluster.map((e) => e.name)).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd4']);
    expect(describeSetting(parsed.config.settings, 'name')).toBe('ETCD_NAME="etcd4" (etcd4.conf:4)');
    expect(describeSetting(parsed.config.settings, 'cert-file')).toBe('ETCD_CERT_FILE is not set (etcd4.conf)');
  });

  it('takes an ETCDCTL_* file for a client, with the v2 names the walkthrough uses', () => {
    const parsed = parseConfigFile(fixture('doctor/server-profile-without-client-auth/etcdctl.env'), 'x/etcdctl.env');
    expect(parsed).toMatchObject({
      kind: 'client',
      config: { name: 'etcdctl', endpoints: ['https://192.168.0.91:2379'], caFile: '/etc/etcd/pki/rootca.pem' },
    });
  });

  it('reads YAML when the file is not KEY=value lines', () => {
    expect(detectConfigFormat('# etcd\nname: etcd1\n')).toBe('yaml');
    expect(detectConfigFormat('# etcd\nETCD_NAME=etcd1\n')).toBe('env');
    const parsed = parseConfigFile('name: etcd1\ninitial-advertise-peer-urls: https://10.0.0.1:2380\n', 'etcd.yaml');
    expect(parsed.kind === 'member' && parsed.config.initialCluster).toEqual([{ name: 'etcd1', url: 'https://10.0.0.1:2380' }]);
  });

  it('reports ETCD_ variables etcd does not know, and booleans it cannot read', () => {
    const parsed = parseConfigFile('ETCD_NAME="a"\nETCD_PEER_CERT_FLIE="/x.pem"\nETCD_CLIENT_CERT_AUTH="yes"\n', 'etcd.conf');
    if (parsed.kind !== 'member') throw new Error('member expected');
    expect(parsed.config.settings.problems.map((p) => [p.severity, p.source.key, p.fix])).toEqual([
      ['WARN', 'ETCD_PEER_CERT_FLIE', 'did you mean ETCD_PEER_CERT_FILE?'],
      ['FAIL', 'ETCD_CLIENT_CERT_AUTH', 'write ETCD_CLIENT_CERT_AUTH="true" or false'],
    ]);
  });
});

describe('parseInitialCluster', () => {
  it('splits name=url pairs and keeps what is not one', () => {
    expect(parseInitialCluster('a=https://h:2380, b=https://i:2380,broken')).toEqual({
      entries: [
        { name: 'a', url: 'https://h:2380' },
        { name: 'b', url: 'https://i:2380' },
      ],
      errors: ['broken'],
    });
  });
});
