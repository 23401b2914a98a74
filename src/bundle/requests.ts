import { normaliseCertificateRequest } from '../csr/load.js';
import type { NameJson } from '../csr/types.js';
import type { CredentialRequest } from './credentials.js';
import { CLUSTER_DEFAULTS, LOCALHOST_HOSTS } from './defaults.js';
import { bundlePath, clientFileNames, memberFileNames } from './layout.js';
import { roleProfiles } from './roles.js';
import type { ClusterDescription, Member } from './types.js';

/** Common name of the shared server certificate (sharedServerCert). */
export const SHARED_SERVER_COMMON_NAME = 'etcd-server';

/**
 * The certificates a cluster needs: per member a server (unless shared) and a peer certificate
 * naming its hosts (plus localhost, 127.0.0.1 and ::1 unless `localhost` is off), one shared
 * server certificate naming every member's hosts when asked, and one client certificate per client.
 */
export function credentialRequests(cluster: ClusterDescription): CredentialRequest[] {
  const profiles = roleProfiles(cluster);
  const key = cluster.json.key ?? CLUSTER_DEFAULTS.key;
  const spec = (commonName: string, hosts: readonly string[], names: readonly NameJson[]) =>
    normaliseCertificateRequest({ CN: commonName, hosts: [...hosts], names: [...names], key: { ...key } }, cluster.file);
  const memberHosts = (member: Member) => (cluster.localhost ? [...member.hosts, ...LOCALHOST_HOSTS] : member.hosts);
  const requests: CredentialRequest[] = [];
  if (cluster.sharedServerCert) {
    const hosts = [...cluster.members.flatMap((m) => m.hosts), ...(cluster.localhost ? LOCALHOST_HOSTS : [])];
    requests.push({
      role: 'server',
      owners: cluster.members.map((m) => m.name),
      certificatePaths: cluster.members.map((m) => bundlePath(m.name, memberFileNames(m.name).serverCertificate)),
      keyPaths: cluster.members.map((m) => bundlePath(m.name, memberFileNames(m.name).serverKey)),
      request: spec(SHARED_SERVER_COMMON_NAME, hosts, cluster.names),
      profile: profiles.server,
    });
  }
  for (const member of cluster.members) {
    const files = memberFileNames(member.name);
    const at = (name: string) => [bundlePath(member.name, name)];
    const request = spec(member.name, memberHosts(member), cluster.names);
    if (!cluster.sharedServerCert) {
      requests.push({
        role: 'server',
        owners: [member.name],
        certificatePaths: at(files.serverCertificate),
        keyPaths: at(files.serverKey),
        request,
        profile: profiles.server,
      });
    }
    requests.push({
      role: 'peer',
      owners: [member.name],
      certificatePaths: at(files.peerCertificate),
      keyPaths: at(files.peerKey),
      request,
      profile: profiles.peer,
    });
  }
  for (const client of cluster.clients) {
    const files = clientFileNames(client.name);
    requests.push({
      role: 'client',
      owners: [client.name],
      certificatePaths: [bundlePath(client.name, files.certificate)],
      keyPaths: [bundlePath(client.name, files.key)],
      request: spec(client.commonName, [], client.names),
      profile: profiles.client,
    });
  }
  return requests;
}
