import { describe, expect, it } from 'vitest';
import { loadClusterDescription, normaliseClusterDescription } from '../../src/bundle/load.js';
import { clientEndpoints, httpsUrl, initialClusters, isLoopback, memberUrls } from '../../src/bundle/urls.js';
import { fixture } from '../support/fixtures.js';

describe('member URLs', () => {
  it("are the walkthrough's, over https, with a client listener on 127.0.0.1", () => {
    const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
    expect(memberUrls(cluster, cluster.members[0]!)).toEqual({
      listenClient: ['https://192.168.0.91:2379', 'https://127.0.0.1:2379'],
      listenPeer: ['https://192.168.0.91:2380'],
      advertiseClient: 'https://192.168.0.91:2379',
      advertisePeer: 'https://192.168.0.91:2380',
    });
  });

  it('listen on every IP address and advertise the first host, a DNS name too', () => {
    const cluster = loadClusterDescription(fixture('cluster/kubernetes.json'));
    expect(memberUrls(cluster, cluster.members[1]!)).toEqual({
      listenClient: ['https://10.0.2.10:2379', 'https://127.0.0.1:2379'],
      listenPeer: ['https://10.0.2.10:2380'],
      advertiseClient: 'https://etcd-b.k8s.example.com:2379',
      advertisePeer: 'https://etcd-b.k8s.example.com:2380',
    });
  });

  it('bracket IPv6 addresses and leave out 127.0.0.1 when localhost is off', () => {
    const cluster = loadClusterDescription(fixture('cluster/ipv6.json'));
    expect(memberUrls(cluster, cluster.members[0]!)).toEqual({
      listenClient: ['https://[fd00:10::1]:2379', 'https://192.168.10.1:2379'],
      listenPeer: ['https://[fd00:10::1]:2380', 'https://192.168.10.1:2380'],
      advertiseClient: 'https://[fd00:10::1]:2379',
      advertisePeer: 'https://[fd00:10::1]:2380',
    });
  });

  it('do not add 127.0.0.1 for a member on a loopback address (several members share the host)', () => {
    const cluster = loadClusterDescription(fixture('cluster/loopback.json'));
    expect(cluster.members.map((m) => memberUrls(cluster, m).listenClient)).toEqual([
      ['https://127.0.0.11:2379'],
      ['https://127.0.0.12:2379'],
      ['https://127.0.0.13:2379'],
    ]);
  });

  it('use the member ports', () => {
    const cluster = normaliseClusterDescription({
      members: [{ name: 'a', hosts: ['10.0.0.1'], clientPort: 12379, peerPort: 12380 }],
      localhost: false,
    });
    expect(memberUrls(cluster, cluster.members[0]!)).toMatchObject({
      listenClient: ['https://10.0.0.1:12379'],
      advertisePeer: 'https://10.0.0.1:12380',
    });
  });
});

describe('initialClusters', () => {
  it('gives founding members the founding members, and added members every member up to them', () => {
    const cluster = loadClusterDescription(fixture('cluster/walkthrough-scaled.json'));
    const founding = 'etcd1=https://192.168.0.91:2380,etcd2=https://192.168.0.92:2380,etcd3=https://192.168.0.93:2380';
    expect(Object.fromEntries(initialClusters(cluster))).toEqual({
      etcd1: founding,
      etcd2: founding,
      etcd3: founding,
      etcd4: `${founding},etcd4=https://192.168.0.94:2380`,
    });
  });
});

describe('clientEndpoints', () => {
  it("lists every member's advertised client URL", () => {
    const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
    expect(clientEndpoints(cluster)).toEqual(['https://192.168.0.91:2379', 'https://192.168.0.92:2379', 'https://192.168.0.93:2379']);
  });
});

describe('helpers', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.13', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
  ])('isLoopback(%s) is %s', (ip, expected) => expect(isLoopback(ip)).toBe(expected));
  it('httpsUrl brackets IPv6 only', () => {
    expect(httpsUrl('::1', 1)).toBe('https://[::1]:1');
    expect(httpsUrl('a.example', 2)).toBe('https://a.example:2');
  });
});
