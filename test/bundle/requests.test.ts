import { describe, expect, it } from 'vitest';
import { loadClusterDescription } from '../../src/bundle/load.js';
import { SHARED_SERVER_COMMON_NAME, credentialRequests } from '../../src/bundle/requests.js';
import { fixture } from '../support/fixtures.js';

describe('credentialRequests', () => {
  it('asks for a server and a peer certificate per member and one per client', () => {
    const requests = credentialRequests(loadClusterDescription(fixture('cluster/walkthrough.json')));
    expect(requests.map((r) => [r.role, r.owners, r.certificatePaths, r.keyPaths, r.request.subject.commonName, r.request.hosts])).toEqual([
      ['server', ['etcd1'], ['etcd1/etcd1.pem'], ['etcd1/etcd1-key.pem'], 'etcd1', ['192.168.0.91', 'localhost', '127.0.0.1', '::1']],
      [
        'peer',
        ['etcd1'],
        ['etcd1/etcd1-peer.pem'],
        ['etcd1/etcd1-peer-key.pem'],
        'etcd1',
        ['192.168.0.91', 'localhost', '127.0.0.1', '::1'],
      ],
      ['server', ['etcd2'], ['etcd2/etcd2.pem'], ['etcd2/etcd2-key.pem'], 'etcd2', ['192.168.0.92', 'localhost', '127.0.0.1', '::1']],
      [
        'peer',
        ['etcd2'],
        ['etcd2/etcd2-peer.pem'],
        ['etcd2/etcd2-peer-key.pem'],
        'etcd2',
        ['192.168.0.92', 'localhost', '127.0.0.1', '::1'],
      ],
      ['server', ['etcd3'], ['etcd3/etcd3.pem'], ['etcd3/etcd3-key.pem'], 'etcd3', ['192.168.0.93', 'localhost', '127.0.0.1', '::1']],
      [
        'peer',
        ['etcd3'],
        ['etcd3/etcd3-peer.pem'],
        ['etcd3/etcd3-peer-key.pem'],
        'etcd3',
        ['192.168.0.93', 'localhost', '127.0.0.1', '::1'],
      ],
      ['client', ['etcdctl'], ['etcdctl/etcdctl.pem'], ['etcdctl/etcdctl-key.pem'], 'etcdctl', []],
    ]);
  });

  it('asks for one shared server certificate naming every member, kept in every member directory', () => {
    const requests = credentialRequests(loadClusterDescription(fixture('cluster/shared-server-cert.json')));
    const shared = requests.filter((r) => r.role === 'server');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({
      owners: ['etcd1', 'etcd2', 'etcd3'],
      certificatePaths: ['etcd1/etcd1.pem', 'etcd2/etcd2.pem', 'etcd3/etcd3.pem'],
      keyPaths: ['etcd1/etcd1-key.pem', 'etcd2/etcd2-key.pem', 'etcd3/etcd3-key.pem'],
    });
    expect(shared[0]!.request.subject.commonName).toBe(SHARED_SERVER_COMMON_NAME);
    expect(shared[0]!.request.sans.ip).toEqual(['192.168.0.91', '192.168.0.92', '192.168.0.93', '127.0.0.1', '::1']);
  });

  it('gives each client its own subject names and CN when the description does', () => {
    const requests = credentialRequests(loadClusterDescription(fixture('cluster/kubernetes.json')));
    const clients = requests.filter((r) => r.role === 'client').map((r) => r.request.subject);
    expect(clients).toEqual([
      expect.objectContaining({ commonName: 'root', organization: ['Example'], organizationalUnit: ['Platform'] }),
      expect.objectContaining({ commonName: 'kube-apiserver-etcd-client', organization: ['system:masters'] }),
    ]);
  });
});
