import type { ClusterJson } from './types.js';

/**
 * What a cluster description leaves out means this; docs/etcd-layer.md and the schema's descriptions say the
 * same. etcd's own ports, the walkthrough's token, cfssl's one-year leaves and five-year CA.
 */
export const CLUSTER_DEFAULTS = {
  token: 'etcd-cluster',
  clients: ['etcdctl'],
  caCommonName: 'ETCD Root CA',
  key: { algo: 'ecdsa', size: 256 },
  expiry: { ca: '43800h', server: '8760h', peer: '8760h', client: '8760h' },
  pkiDir: '/etc/etcd/pki',
  dataDir: '/var/lib/etcd/{name}.etcd',
  clientPort: 2379,
  peerPort: 2380,
  sharedServerCert: false,
  localhost: true,
  owner: 'etcd:etcd',
} as const;

/** The names every member certificate carries besides the member's own, unless `localhost` is false. */
export const LOCALHOST_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;

/** The placeholder in `pkiDir` and `dataDir` that stands for the member or client name. */
export const NAME_PLACEHOLDER = '{name}';

/** cluster.json's `$schema` value, for files etcd-pki writes. */
export const CLUSTER_SCHEMA_ID = 'https://etcd-pki.github.io/schemas/cluster.schema.json';

/** The walkthrough's cluster: three members on 192.168.0.91-93 and the etcdctl client. */
export const EXAMPLE_CLUSTER: ClusterJson = {
  $schema: CLUSTER_SCHEMA_ID,
  token: 'etcd-cluster',
  members: [
    { name: 'etcd1', hosts: ['192.168.0.91'] },
    { name: 'etcd2', hosts: ['192.168.0.92'] },
    { name: 'etcd3', hosts: ['192.168.0.93'] },
  ],
  clients: [{ name: 'etcdctl' }],
  names: [{ C: 'US', ST: 'San Francisco', L: 'CA' }],
};
