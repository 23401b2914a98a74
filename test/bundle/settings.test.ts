import { describe, expect, it } from 'vitest';
import { loadClusterDescription } from '../../src/bundle/load.js';
import { ETCD_SETTINGS, memberSettings } from '../../src/bundle/settings.js';
import { initialClusters } from '../../src/bundle/urls.js';
import { fixture } from '../support/fixtures.js';

describe('memberSettings', () => {
  it("holds every setting of the walkthrough's etcd.conf, with TLS on both ports", () => {
    const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
    const member = cluster.members[2]!;
    expect(memberSettings(cluster, member, initialClusters(cluster).get(member.name)!, 'separate')).toEqual({
      name: 'etcd3',
      dataDir: '/var/lib/etcd/etcd3.etcd',
      listenPeerUrls: 'https://192.168.0.93:2380',
      listenClientUrls: 'https://192.168.0.93:2379,https://127.0.0.1:2379',
      initialAdvertisePeerUrls: 'https://192.168.0.93:2380',
      advertiseClientUrls: 'https://192.168.0.93:2379',
      initialCluster: 'etcd1=https://192.168.0.91:2380,etcd2=https://192.168.0.92:2380,etcd3=https://192.168.0.93:2380',
      initialClusterToken: 'etcd-cluster',
      initialClusterState: 'new',
      certFile: '/etc/etcd/pki/etcd3.pem',
      keyFile: '/etc/etcd/pki/etcd3-key.pem',
      clientCertAuth: true,
      trustedCaFile: '/etc/etcd/pki/ca.pem',
      peerCertFile: '/etc/etcd/pki/etcd3-peer.pem',
      peerKeyFile: '/etc/etcd/pki/etcd3-peer-key.pem',
      peerClientCertAuth: true,
      peerTrustedCaFile: '/etc/etcd/pki/peer-ca.pem',
      clientCrlFile: '/etc/etcd/pki/client-crl.pem',
      peerCrlFile: '/etc/etcd/pki/peer-crl.pem',
    });
  });

  it("trusts ca.pem on both ports with trust single (kubeadm's layout), with the same CRL settings", () => {
    const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
    const settings = memberSettings(cluster, cluster.members[0]!, '', 'single');
    expect(settings).toMatchObject({
      trustedCaFile: '/etc/etcd/pki/ca.pem',
      peerTrustedCaFile: '/etc/etcd/pki/ca.pem',
      clientCrlFile: '/etc/etcd/pki/client-crl.pem',
    });
  });

  it('expands {name} in pkiDir and dataDir', () => {
    const cluster = loadClusterDescription(fixture('cluster/every-option.json'));
    const settings = memberSettings(cluster, cluster.members[1]!, '', 'separate');
    expect(settings).toMatchObject({
      dataDir: '/var/lib/etcd/etcd2',
      certFile: '/etc/etcd/etcd2/pki/etcd2.pem',
      trustedCaFile: '/etc/etcd/etcd2/pki/ca.pem',
    });
  });
});

describe('ETCD_SETTINGS', () => {
  it("names every variable the walkthrough's etcd.conf sets, and the issue's TLS settings", () => {
    const names = ETCD_SETTINGS.map((s) => s.env);
    for (const name of [
      'ETCD_NAME',
      'ETCD_DATA_DIR',
      'ETCD_LISTEN_PEER_URLS',
      'ETCD_LISTEN_CLIENT_URLS',
      'ETCD_INITIAL_ADVERTISE_PEER_URLS',
      'ETCD_ADVERTISE_CLIENT_URLS',
      'ETCD_INITIAL_CLUSTER',
      'ETCD_INITIAL_CLUSTER_TOKEN',
      'ETCD_INITIAL_CLUSTER_STATE',
      'ETCD_CERT_FILE',
      'ETCD_KEY_FILE',
      'ETCD_CLIENT_CERT_AUTH',
      'ETCD_TRUSTED_CA_FILE',
      'ETCD_PEER_CERT_FILE',
      'ETCD_PEER_KEY_FILE',
      'ETCD_PEER_CLIENT_CERT_AUTH',
      'ETCD_PEER_TRUSTED_CA_FILE',
    ]) {
      expect(names).toContain(name);
    }
  });

  // etcd derives each flag's variable from its name (ETCD_ + upper case, - -> _); the YAML keys are
  // the flag names, except that TLS settings nest under client-/peer-transport-security.
  it('pairs each variable with the YAML key of the same etcd flag', () => {
    for (const setting of ETCD_SETTINGS) {
      // etcd 3.4's --config-file has no CRL key (measured): those two have none.
      if (setting.yaml === null) {
        expect(setting.env).toMatch(/^ETCD_(CLIENT|PEER)_CRL_FILE$/);
        continue;
      }
      const [group, key] = setting.yaml.includes('.') ? setting.yaml.split('.') : [undefined, setting.yaml];
      const flag = group === 'peer-transport-security' ? `peer-${key!}` : key!;
      expect(setting.env, setting.yaml).toBe(`ETCD_${flag.toUpperCase().replaceAll('-', '_')}`);
    }
  });
});
