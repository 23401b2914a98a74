import type { ClusterDescription, Member } from './types.js';

/** The URLs of one member, as its etcd.conf names them. */
export interface MemberUrls {
  /** ETCD_LISTEN_CLIENT_URLS: every IP address of the member, and 127.0.0.1 when `localhost`. */
  readonly listenClient: readonly string[];
  /** ETCD_LISTEN_PEER_URLS: every IP address of the member. */
  readonly listenPeer: readonly string[];
  /** ETCD_ADVERTISE_CLIENT_URLS: the first host. */
  readonly advertiseClient: string;
  /** ETCD_INITIAL_ADVERTISE_PEER_URLS and the member's entry in ETCD_INITIAL_CLUSTER. */
  readonly advertisePeer: string;
}

/** `https://host:port`, with an IPv6 address in brackets (RFC 3986 3.2.2). */
export function httpsUrl(host: string, port: number): string {
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** 127.0.0.0/8 and ::1. */
export function isLoopback(ip: string): boolean {
  return ip === '::1' || /^127\./.test(ip);
}

/**
 * A member's URLs. It listens on each of its IP addresses and, when `localhost` is on, also on
 * https://127.0.0.1 (so that etcdctl on the node works without knowing its address) unless one of
 * its own addresses is a loopback address: members sharing a host on 127.0.0.x would collide there.
 */
export function memberUrls(cluster: ClusterDescription, member: Member): MemberUrls {
  const listenClient = member.ips.map((ip) => httpsUrl(ip, member.clientPort));
  if (cluster.localhost && !member.ips.some(isLoopback)) listenClient.push(httpsUrl('127.0.0.1', member.clientPort));
  return {
    listenClient,
    listenPeer: member.ips.map((ip) => httpsUrl(ip, member.peerPort)),
    advertiseClient: httpsUrl(member.advertiseHost, member.clientPort),
    advertisePeer: httpsUrl(member.advertiseHost, member.peerPort),
  };
}

/**
 * ETCD_INITIAL_CLUSTER of every member, by name: the founding members for a founding member; for a
 * member that joins later, every member up to and including it (what `etcdctl member add` prints
 * then). The founding value is one string shared by all founding members.
 */
export function initialClusters(cluster: ClusterDescription): ReadonlyMap<string, string> {
  const entry = (m: Member) => `${m.name}=${httpsUrl(m.advertiseHost, m.peerPort)}`;
  const founding = cluster.members
    .filter((m) => m.initialClusterState === 'new')
    .map(entry)
    .join(',');
  const out = new Map<string, string>();
  let running = '';
  for (const member of cluster.members) {
    running = running === '' ? entry(member) : `${running},${entry(member)}`;
    out.set(member.name, member.initialClusterState === 'new' ? founding : running);
  }
  return out;
}

/** ETCDCTL_ENDPOINTS: every member's advertised client URL. */
export function clientEndpoints(cluster: ClusterDescription): string[] {
  return cluster.members.map((m) => httpsUrl(m.advertiseHost, m.clientPort));
}
