import { expandTemplate, memberFileNames, nodePath } from './layout.js';
import { memberUrls } from './urls.js';
import type { ClusterDescription, Member } from './types.js';

/**
 * Every etcd setting a member's configuration holds, with its environment variable (etcd.conf)
 * and its key in etcd's `--config-file` YAML (etcd 3.4 embed.configYAML; a dotted key is nested
 * under client- or peer-transport-security). Both renderers read this one table, so etcd.conf and
 * etcd.yaml cannot say different things.
 */
export const ETCD_SETTINGS = [
  { key: 'name', env: 'ETCD_NAME', yaml: 'name', section: 'Member' },
  { key: 'dataDir', env: 'ETCD_DATA_DIR', yaml: 'data-dir', section: 'Member' },
  { key: 'listenPeerUrls', env: 'ETCD_LISTEN_PEER_URLS', yaml: 'listen-peer-urls', section: 'Member' },
  { key: 'listenClientUrls', env: 'ETCD_LISTEN_CLIENT_URLS', yaml: 'listen-client-urls', section: 'Member' },
  { key: 'initialAdvertisePeerUrls', env: 'ETCD_INITIAL_ADVERTISE_PEER_URLS', yaml: 'initial-advertise-peer-urls', section: 'Clustering' },
  { key: 'advertiseClientUrls', env: 'ETCD_ADVERTISE_CLIENT_URLS', yaml: 'advertise-client-urls', section: 'Clustering' },
  { key: 'initialCluster', env: 'ETCD_INITIAL_CLUSTER', yaml: 'initial-cluster', section: 'Clustering' },
  { key: 'initialClusterToken', env: 'ETCD_INITIAL_CLUSTER_TOKEN', yaml: 'initial-cluster-token', section: 'Clustering' },
  { key: 'initialClusterState', env: 'ETCD_INITIAL_CLUSTER_STATE', yaml: 'initial-cluster-state', section: 'Clustering' },
  { key: 'certFile', env: 'ETCD_CERT_FILE', yaml: 'client-transport-security.cert-file', section: 'Security' },
  { key: 'keyFile', env: 'ETCD_KEY_FILE', yaml: 'client-transport-security.key-file', section: 'Security' },
  { key: 'clientCertAuth', env: 'ETCD_CLIENT_CERT_AUTH', yaml: 'client-transport-security.client-cert-auth', section: 'Security' },
  { key: 'trustedCaFile', env: 'ETCD_TRUSTED_CA_FILE', yaml: 'client-transport-security.trusted-ca-file', section: 'Security' },
  { key: 'peerCertFile', env: 'ETCD_PEER_CERT_FILE', yaml: 'peer-transport-security.cert-file', section: 'Security' },
  { key: 'peerKeyFile', env: 'ETCD_PEER_KEY_FILE', yaml: 'peer-transport-security.key-file', section: 'Security' },
  { key: 'peerClientCertAuth', env: 'ETCD_PEER_CLIENT_CERT_AUTH', yaml: 'peer-transport-security.client-cert-auth', section: 'Security' },
  { key: 'peerTrustedCaFile', env: 'ETCD_PEER_TRUSTED_CA_FILE', yaml: 'peer-transport-security.trusted-ca-file', section: 'Security' },
] as const;

export type EtcdSettingKey = (typeof ETCD_SETTINGS)[number]['key'];
export type EtcdSettings = Readonly<Record<EtcdSettingKey, string | boolean>>;

/**
 * The configuration of one member: URLs, cluster, and TLS on both ports with client certificates
 * required, every file under the member's `pkiDir` on its node.
 */
export function memberSettings(cluster: ClusterDescription, member: Member, initialCluster: string): EtcdSettings {
  const urls = memberUrls(cluster, member);
  const pkiDir = expandTemplate(cluster.pkiDir, member.name);
  const files = memberFileNames(member.name);
  const at = (file: string) => nodePath(pkiDir, file);
  return {
    name: member.name,
    dataDir: expandTemplate(cluster.dataDir, member.name),
    listenPeerUrls: urls.listenPeer.join(','),
    listenClientUrls: urls.listenClient.join(','),
    initialAdvertisePeerUrls: urls.advertisePeer,
    advertiseClientUrls: urls.advertiseClient,
    initialCluster,
    initialClusterToken: cluster.token,
    initialClusterState: member.initialClusterState,
    certFile: at(files.serverCertificate),
    keyFile: at(files.serverKey),
    clientCertAuth: true,
    trustedCaFile: at(files.ca),
    peerCertFile: at(files.peerCertificate),
    peerKeyFile: at(files.peerKey),
    peerClientCertAuth: true,
    peerTrustedCaFile: at(files.ca),
  };
}
