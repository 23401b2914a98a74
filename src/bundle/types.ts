import type { NameJson } from '../csr/types.js';
import type { GoDuration, Milliseconds } from '../duration.js';
import type { KeySpec } from '../keys/algorithms.js';

/** How a member joins: with the founding members (`new`) or into a running cluster (`existing`). */
export type InitialClusterState = 'new' | 'existing';

/** The roles whose certificates a bundle issues, each with its own validity. */
export type CertificateRole = 'server' | 'peer' | 'client';

/** One etcd member of cluster.json, as written. */
export interface MemberJson {
  /** `ETCD_NAME`, the member's directory in the bundle and its certificates' CN. */
  name: string;
  /** IP addresses and DNS names of the member; the first is the one advertised in its URLs. */
  hosts: string[];
  /** Client port; default 2379. */
  clientPort?: number;
  /** Peer port; default 2380. */
  peerPort?: number;
  /** Default `new`; members added later with add-member are `existing`. */
  initialClusterState?: InitialClusterState;
}

/** One client identity (etcdctl, kube-apiserver ...) of cluster.json, as written. */
export interface ClientJson {
  /** The client's directory in the bundle and its files' base name. */
  name: string;
  /** Common name of its certificate (the etcd user when etcd auth is on); default the name. */
  CN?: string;
  /** Subject names of its certificate instead of the cluster's (e.g. `O: system:masters`). */
  names?: NameJson[];
}

/** Validity of each kind of certificate, as Go durations. */
export interface ExpiryJson {
  ca?: GoDuration;
  server?: GoDuration;
  peer?: GoDuration;
  client?: GoDuration;
}

/** A cluster description (cluster.json) as written, after schema validation. */
export interface ClusterJson {
  $schema?: string;
  /** `ETCD_INITIAL_CLUSTER_TOKEN`; default `etcd-cluster`. */
  token?: string;
  members: MemberJson[];
  /** Default one client, `etcdctl`. */
  clients?: ClientJson[];
  /** Subject names of every certificate (cfssl's `names`). */
  names?: NameJson[];
  /** The CA made when no existing CA is given. */
  ca?: { CN?: string };
  /** Algorithm and size of every key generated; default ECDSA P-256. */
  key?: { algo: 'ecdsa' | 'rsa' | 'ed25519'; size?: number };
  expiry?: ExpiryJson;
  /** Where the files live on each node; `{name}` is the member or client name. Default `/etc/etcd/pki`. */
  pkiDir?: string;
  /** `ETCD_DATA_DIR`; `{name}` is the member name. Default `/var/lib/etcd/{name}.etcd`. */
  dataDir?: string;
  /** One server certificate naming every member, copied to each, instead of one per member. */
  sharedServerCert?: boolean;
  /** Add `localhost`, `127.0.0.1` and `::1` to member certificates and listen on 127.0.0.1; default true. */
  localhost?: boolean;
  /** `user:group` that install.sh gives the installed files; default `etcd:etcd`. */
  owner?: string;
}

/** A member, normalised: defaults applied, hosts sorted by kind. */
export interface Member {
  readonly name: string;
  readonly hosts: readonly string[];
  /** The IP addresses among the hosts, in their order; a member listens on each. */
  readonly ips: readonly string[];
  readonly dnsNames: readonly string[];
  /** The host in the member's advertised URLs: its first. */
  readonly advertiseHost: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly initialClusterState: InitialClusterState;
}

/** A client identity, normalised. */
export interface Client {
  readonly name: string;
  readonly commonName: string;
  /** Subject names of its certificate: its own, else the cluster's. */
  readonly names: readonly NameJson[];
}

/** A cluster description, validated and normalised: what plan and add-member work from. */
export interface ClusterDescription {
  /** The file it came from, for messages. */
  readonly file?: string | undefined;
  readonly token: string;
  readonly members: readonly Member[];
  readonly clients: readonly Client[];
  /** Subject names of the CA and member certificates (cfssl's `names`). */
  readonly names: readonly NameJson[];
  readonly caCommonName: string;
  readonly key: KeySpec;
  readonly expiry: Readonly<Record<CertificateRole | 'ca', Milliseconds>>;
  /** Template with `{name}`. */
  readonly pkiDir: string;
  /** Template with `{name}`. */
  readonly dataDir: string;
  readonly sharedServerCert: boolean;
  readonly localhost: boolean;
  readonly owner: string;
  /** The description as cluster.json with every default written out (kept in manifest.json). */
  readonly json: ClusterJson;
}
