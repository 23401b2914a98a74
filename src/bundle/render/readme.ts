import { clientFileNames, expandTemplate, memberFileNames } from '../layout.js';
import type { ClusterDescription } from '../types.js';

export interface ReadmeOptions {
  readonly cluster: ClusterDescription;
  /** The bundle holds the CA key (false when made with an existing CA given by -ca/-ca-key). */
  readonly caKeyInBundle: boolean;
}

/**
 * OUT/README.txt: what to copy to which node, what install.sh does there (and the same by hand:
 * chown etcd:etcd, keys 0600), how to check the cluster and how to add a member.
 */
export function renderReadme(options: ReadmeOptions): string {
  const { cluster } = options;
  const members = cluster.members;
  const clients = cluster.clients;
  const width = Math.max(12, ...[...members, ...clients].map((x) => x.name.length + 2));
  const row = (dir: string, where: string, what: string) => `  ${dir.padEnd(width)} ${where.padEnd(34)} ${what}`;
  const first = members[0]!;
  const firstFiles = memberFileNames(first.name);
  const firstPki = expandTemplate(cluster.pkiDir, first.name);
  const [user, group = user] = cluster.owner.split(':') as [string, string?];
  const client = clients[0];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `etcd-pki bundle for etcd cluster "${cluster.token}": ${plural(members.length, 'member')}, ${plural(clients.length, 'client')}.`,
    'manifest.json lists every file with its role, owner, SHA-256 and, for certificates, SANs and expiry.',
    '',
    'WHAT TO COPY WHERE',
    row('directory', 'copy to', 'holds'),
    row(
      'ca/',
      'nowhere: keep it here (offline)',
      options.caKeyInBundle
        ? 'the CA certificate and key; add-member issues from it'
        : 'the CA certificate (its key stayed where -ca-key was)',
    ),
    ...members.map((m) =>
      row(
        `${m.name}/`,
        `member ${m.name}'s node (${m.advertiseHost})`,
        `certificates, keys, etcd.conf, etcd.yaml, install.sh -> ${expandTemplate(cluster.pkiDir, m.name)}`,
      ),
    ),
    ...clients.map((c) =>
      row(
        `${c.name}/`,
        `where ${c.name} runs`,
        `certificate, key, ca.pem, ${clientFileNames(c.name).env}, install.sh -> ${expandTemplate(cluster.pkiDir, c.name)}`,
      ),
    ),
    '',
    'ON EACH MEMBER NODE (as root)',
    `  scp -r ${first.name} root@${first.advertiseHost}:/root/etcd-pki-${first.name}`,
    `  ssh root@${first.advertiseHost} sh /root/etcd-pki-${first.name}/install.sh`,
    `install.sh puts the certificates and keys in ${firstPki} owned by ${cluster.owner} (keys 0600,`,
    'certificates 0644: etcd runs as that user and must be able to read its keys), etcd.conf as',
    '/etc/etcd/etcd.conf (set ETCD_CONF=/etc/default/etcd on Debian) and etcd.yaml as /etc/etcd/etcd.yaml,',
    'switches a key and its certificate together (links into one directory per install), keeps no',
    'replaced key, prints what it did and what the node needs: no restart after renew (etcd reads its',
    'certificate and key at every handshake); a restart of that member alone, one member at a time,',
    'when ca.pem or etcd.conf changed. By hand, the same is:',
    `  install -d -m 0750 -o ${user} -g ${group} ${firstPki}`,
    `  install -m 0644 -o ${user} -g ${group} ${firstFiles.ca} ${firstFiles.serverCertificate} ${firstFiles.peerCertificate} ${firstPki}/`,
    `  install -m 0600 -o ${user} -g ${group} ${firstFiles.serverKey} ${firstFiles.peerKey} ${firstPki}/`,
    `  install -m 0644 ${firstFiles.etcdConf} /etc/etcd/etcd.conf`,
    'Then start etcd on every founding member (each waits for the others of the initial cluster):',
    '  systemctl start etcd',
    '',
    ...(client
      ? [
          `CHECK (where ${client.name} is installed)`,
          `  set -a; . ${expandTemplate(cluster.pkiDir, client.name)}/${clientFileNames(client.name).env}; set +a`,
          '  etcdctl endpoint health --cluster',
          '  etcdctl member list -w table',
          '',
        ]
      : []),
    'ADDING A MEMBER',
    '  etcd-pki add-member -out THIS-DIRECTORY -member NAME=IP',
    'writes NAME/ (ETCD_INITIAL_CLUSTER_STATE="existing"), updates the clients\' endpoints and this',
    "bundle's manifest, and prints the `etcdctl member add` command to run before starting it.",
    '',
    "Every member certificate names the member's hosts" + (cluster.localhost ? ', localhost, 127.0.0.1 and ::1' : '') + '; server and peer',
    'certificates carry both server and client auth, as etcd needs with client-cert-auth on.',
  ];
  return lines.join('\n') + '\n';
}
