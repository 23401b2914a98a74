import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadClusterDescription } from '../../../src/bundle/load.js';
import { renderEtcdConf, envValue } from '../../../src/bundle/render/etcd-conf.js';
import { ETCD_SETTINGS, memberSettings } from '../../../src/bundle/settings.js';
import { initialClusters } from '../../../src/bundle/urls.js';
import { expectPkiErrorSync } from '../../support/errors.js';
import { fixture } from '../../support/fixtures.js';

const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
const member = cluster.members[0]!;
const settings = memberSettings(cluster, member, initialClusters(cluster).get('etcd1')!, 'single');
const conf = renderEtcdConf(settings, { member: 'etcd1', token: 'etcd-cluster', pkiDir: '/etc/etcd/pki' });

describe('renderEtcdConf', () => {
  it("writes the walkthrough's etcd.conf for etcd1, all https, with every TLS setting", () => {
    expect(conf.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'ETCD_NAME="etcd1"',
      'ETCD_DATA_DIR="/var/lib/etcd/etcd1.etcd"',
      'ETCD_LISTEN_PEER_URLS="https://192.168.0.91:2380"',
      'ETCD_LISTEN_CLIENT_URLS="https://192.168.0.91:2379,https://127.0.0.1:2379"',
      'ETCD_INITIAL_ADVERTISE_PEER_URLS="https://192.168.0.91:2380"',
      'ETCD_ADVERTISE_CLIENT_URLS="https://192.168.0.91:2379"',
      'ETCD_INITIAL_CLUSTER="etcd1=https://192.168.0.91:2380,etcd2=https://192.168.0.92:2380,etcd3=https://192.168.0.93:2380"',
      'ETCD_INITIAL_CLUSTER_TOKEN="etcd-cluster"',
      'ETCD_INITIAL_CLUSTER_STATE="new"',
      'ETCD_CERT_FILE="/etc/etcd/pki/etcd1.pem"',
      'ETCD_KEY_FILE="/etc/etcd/pki/etcd1-key.pem"',
      'ETCD_CLIENT_CERT_AUTH="true"',
      'ETCD_TRUSTED_CA_FILE="/etc/etcd/pki/ca.pem"',
      'ETCD_PEER_CERT_FILE="/etc/etcd/pki/etcd1-peer.pem"',
      'ETCD_PEER_KEY_FILE="/etc/etcd/pki/etcd1-peer-key.pem"',
      'ETCD_PEER_CLIENT_CERT_AUTH="true"',
      'ETCD_PEER_TRUSTED_CA_FILE="/etc/etcd/pki/ca.pem"',
      'ETCD_CLIENT_CRL_FILE="/etc/etcd/pki/client-crl.pem"',
      'ETCD_PEER_CRL_FILE="/etc/etcd/pki/peer-crl.pem"',
      '',
    ]);
  });

  it("groups the settings under the sections of etcd's packaged etcd.conf", () => {
    expect(conf.split('\n').filter((line) => line.startsWith('#['))).toEqual(['#[Member]', '#[Clustering]', '#[Security]']);
  });

  it('reads back as the same settings in sh (set -a; . etcd.conf)', () => {
    const result = spawnSync('sh', ['-c', 'set -a; eval "$CONF"; unset CONF; env'], { env: { CONF: conf }, encoding: 'utf8' });
    const env = Object.fromEntries(
      result.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    for (const setting of ETCD_SETTINGS) expect(env[setting.env], setting.env).toBe(String(settings[setting.key]));
  });

  it.each(['a"b', 'a$b', 'a`b', 'a\\b', 'a\nb'])('refuses a value that would need escaping: %j', (value) => {
    expectPkiErrorSync(() => envValue('ETCD_X', value), { code: 'INVALID_CLUSTER', message: 'ETCD_X' });
  });
});
