import { describe, expect, it } from 'vitest';
import { renderEtcdctlEnv } from '../../../src/bundle/render/etcdctl-env.js';

describe('renderEtcdctlEnv', () => {
  const text = renderEtcdctlEnv({
    client: 'etcdctl',
    token: 'etcd-cluster',
    endpoints: ['https://192.168.0.91:2379', 'https://192.168.0.92:2379'],
    caFile: '/etc/etcd/pki/ca.pem',
    certFile: '/etc/etcd/pki/etcdctl.pem',
    keyFile: '/etc/etcd/pki/etcdctl-key.pem',
    envFile: '/etc/etcd/pki/etcdctl.env',
  });

  it('sets the API version, endpoints and the three TLS files of etcdctl v3', () => {
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([
      'ETCDCTL_API="3"',
      'ETCDCTL_ENDPOINTS="https://192.168.0.91:2379,https://192.168.0.92:2379"',
      'ETCDCTL_CACERT="/etc/etcd/pki/ca.pem"',
      'ETCDCTL_CERT="/etc/etcd/pki/etcdctl.pem"',
      'ETCDCTL_KEY="/etc/etcd/pki/etcdctl-key.pem"',
    ]);
  });

  it('says how to use it, from where it is installed', () => {
    expect(text).toContain('set -a; . /etc/etcd/pki/etcdctl.env; set +a');
  });
});
