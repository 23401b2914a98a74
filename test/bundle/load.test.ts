import { describe, expect, it } from 'vitest';
import { CLUSTER_DEFAULTS } from '../../src/bundle/defaults.js';
import {
  completeClusterJson,
  loadClusterDescription,
  normaliseClusterDescription,
  validateClusterDescription,
} from '../../src/bundle/load.js';
import type { ClusterJson } from '../../src/bundle/types.js';
import { loadSchema } from '../../src/validate.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { fixture, fixtureNames } from '../support/fixtures.js';

const VALID = fixtureNames('cluster').filter((name) => name.endsWith('.json'));

describe('loadClusterDescription', () => {
  it.each(VALID)('accepts fixtures/cluster/%s', (name) => {
    const cluster = loadClusterDescription(fixture(`cluster/${name}`), { file: name });
    expect(cluster.members.length).toBeGreaterThan(0);
    expect(cluster.file).toBe(name);
  });

  it("reads the walkthrough's cluster with every default written out", () => {
    const cluster = loadClusterDescription(fixture('cluster/walkthrough.json'));
    expect(cluster.members.map((m) => [m.name, m.ips, m.clientPort, m.peerPort, m.initialClusterState])).toEqual([
      ['etcd1', ['192.168.0.91'], 2379, 2380, 'new'],
      ['etcd2', ['192.168.0.92'], 2379, 2380, 'new'],
      ['etcd3', ['192.168.0.93'], 2379, 2380, 'new'],
    ]);
    expect(cluster.clients).toEqual([{ name: 'etcdctl', commonName: 'etcdctl', names: [{ C: 'US', ST: 'San Francisco', L: 'CA' }] }]);
    expect(cluster).toMatchObject({
      token: 'etcd-cluster',
      caCommonName: 'ETCD Root CA',
      key: { algo: 'ecdsa', size: 256 },
      pkiDir: '/etc/etcd/pki',
      dataDir: '/var/lib/etcd/{name}.etcd',
      sharedServerCert: false,
      localhost: true,
      owner: 'etcd:etcd',
      expiry: { ca: 43800 * 3_600_000, server: 8760 * 3_600_000, peer: 8760 * 3_600_000, client: 8760 * 3_600_000 },
    });
  });

  it('sorts hosts into IP addresses and DNS names, advertising the first host', () => {
    const cluster = loadClusterDescription(fixture('cluster/kubernetes.json'));
    const b = cluster.members[1]!;
    expect(b).toMatchObject({ ips: ['10.0.2.10'], dnsNames: ['etcd-b.k8s.example.com'], advertiseHost: 'etcd-b.k8s.example.com' });
    expect(cluster.clients.map((c) => [c.name, c.commonName, c.names])).toEqual([
      ['etcdctl', 'root', [{ O: 'Example', OU: 'Platform' }]],
      ['kube-apiserver-etcd-client', 'kube-apiserver-etcd-client', [{ O: 'system:masters' }]],
    ]);
  });

  it('writes IPv6 addresses in one spelling', () => {
    const cluster = normaliseClusterDescription({ members: [{ name: 'a', hosts: ['FD00:0:0::1'] }] });
    expect(cluster.members[0]!.ips).toEqual(['fd00::1']);
  });

  it('defaults to one etcdctl client', () => {
    const cluster = normaliseClusterDescription({ members: [{ name: 'a', hosts: ['10.0.0.1'] }] });
    expect(cluster.clients.map((c) => c.name)).toEqual([...CLUSTER_DEFAULTS.clients]);
  });

  it('keeps an explicitly empty client list', () => {
    expect(normaliseClusterDescription({ members: [{ name: 'a', hosts: ['10.0.0.1'] }], clients: [] }).clients).toEqual([]);
  });

  it('round-trips: the complete JSON normalises to the same description', () => {
    for (const name of VALID) {
      const first = loadClusterDescription(fixture(`cluster/${name}`));
      const again = validateClusterDescription(JSON.parse(JSON.stringify(first.json)));
      expect(again.json, name).toEqual(first.json);
      expect(completeClusterJson(first.json), name).toEqual(first.json);
    }
  });

  it('refuses a shape the schema does not allow, naming the JSON path', () => {
    expectPkiErrorSync(() => validateClusterDescription({ members: [{ name: 'a', hosts: 'x' }] }, 'flags'), {
      code: 'INVALID_JSON',
      file: 'flags',
      path: '/members/0/hosts',
      message: 'must be an array',
    });
  });
});

describe('schemas/cluster.schema.json', () => {
  const schema = loadSchema('cluster') as {
    $id: string;
    description: string;
    examples: unknown[];
    properties: Record<string, { description?: string }>;
    definitions: Record<string, { properties: Record<string, { description?: string }>; additionalProperties: boolean }>;
    additionalProperties: boolean;
  };

  // One entry per key of the TypeScript types: adding a key to one and not the other fails here.
  const clusterKeys = {
    $schema: true,
    token: true,
    members: true,
    clients: true,
    names: true,
    ca: true,
    key: true,
    expiry: true,
    pkiDir: true,
    dataDir: true,
    sharedServerCert: true,
    localhost: true,
    owner: true,
    trust: true,
  } satisfies Record<keyof ClusterJson, true>;
  const memberKeys = { name: true, hosts: true, clientPort: true, peerPort: true, initialClusterState: true } satisfies Record<
    keyof ClusterJson['members'][number],
    true
  >;
  const clientKeys = { name: true, CN: true, names: true } satisfies Record<keyof NonNullable<ClusterJson['clients']>[number], true>;

  it('has the keys of the ClusterJson, MemberJson and ClientJson types', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(clusterKeys).sort());
    expect(Object.keys(schema.definitions.member!.properties).sort()).toEqual(Object.keys(memberKeys).sort());
    expect(Object.keys(schema.definitions.client!.properties).sort()).toEqual(Object.keys(clientKeys).sort());
  });

  it('has a stable $id, a description of every key and examples that validate', () => {
    expect(schema.$id).toBe('https://etcd-pki.github.io/schemas/cluster.schema.json');
    expect(schema.additionalProperties).toBe(false);
    for (const definition of Object.values(schema.definitions)) expect(definition.additionalProperties).toBe(false);
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    for (const example of schema.examples) expect(() => validateClusterDescription(example)).not.toThrow();
  });

  it('documents the defaults the code applies', () => {
    const text = JSON.stringify(schema);
    for (const value of [
      CLUSTER_DEFAULTS.token,
      CLUSTER_DEFAULTS.pkiDir,
      CLUSTER_DEFAULTS.dataDir,
      CLUSTER_DEFAULTS.owner,
      CLUSTER_DEFAULTS.caCommonName,
    ]) {
      expect(text).toContain(value);
    }
    for (const value of Object.values(CLUSTER_DEFAULTS.expiry)) expect(text).toContain(value);
  });
});
