import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import type { ClusterFlags } from '../cluster-flags.js';

/** cluster-bundle's flags, as commander hands them to the action. */
export interface ClusterBundleOptions extends ClusterFlags {
  member?: string[];
  client?: string[];
  config?: string;
  out: string;
  ca?: string;
  caKey?: string;
  force?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `cluster-bundle`: a whole cluster's certificates and configuration from one description. */
export function clusterBundleCommand(context: CliContext): Command {
  const command = new Command('cluster-bundle')
    .description("make a cluster's CA, certificates, keys, etcd.conf/etcd.yaml per member and etcdctl env per client")
    .option('--member <name=ip[,ip|dns...]>', 'a member: its name and hosts, the first advertised (repeat for each member)', collect)
    .option('--client <name>', 'a client identity with its own certificate and env file (repeatable; default etcdctl)', collect)
    .option('--config <file>', 'cluster description (cluster.json, see schemas/cluster.schema.json) instead of -member/-client')
    .option('--out <dir>', 'output directory; re-running over it keeps the CA and keys and issues only what is missing', 'etcd-pki-out')
    .option('--ca <file>', "issue from this existing CA certificate (cfssl's or etcd-pki's) instead of a new one")
    .option('--ca-key <file>', "the existing CA's private key (not copied into the bundle)")
    .option('--pki-dir <dir>', 'where the files live on each node; {name} is the member or client name (default /etc/etcd/pki)')
    .option('--data-dir <dir>', 'ETCD_DATA_DIR; {name} is the member name (default /var/lib/etcd/{name}.etcd)')
    .option('--token <token>', 'ETCD_INITIAL_CLUSTER_TOKEN (default etcd-cluster)')
    .addOption(new Option('--key-algo <algo>', 'algorithm of every key generated (default ecdsa)').choices(['ecdsa', 'rsa', 'ed25519']))
    .option('--key-size <bits>', 'key size: ecdsa 256 (default), 384, 521; rsa 2048 to 8192')
    .option('--ca-expiry <duration>', 'validity of a new CA (default 43800h)')
    .option('--server-expiry <duration>', 'validity of member server certificates (default 8760h)')
    .option('--peer-expiry <duration>', 'validity of member peer certificates (default 8760h)')
    .option('--client-expiry <duration>', 'validity of client certificates (default 8760h)')
    .option('--subject <names>', 'subject names of every certificate, e.g. "C=US,ST=San Francisco,L=CA,O=Example"')
    .option('--ca-cn <name>', 'common name of a new CA (default "ETCD Root CA")')
    .option('--crl-expiry <duration>', 'validity of the CRLs from each signing (default 8760h)')
    .addOption(
      new Option(
        '--trust <layout>',
        'which CA each port trusts: separate (a peer CA for the peer ports; default for a new bundle), single (one CA for both, as kubeadm), migrating (the step from single to separate)',
      ).choices(['separate', 'single', 'migrating']),
    )
    .option('--single-ca', "one CA for the client and the peer ports (kubeadm's layout): the same as -trust single")
    .option('--shared-server-cert', 'one server certificate naming every member, instead of one per member')
    .option('--no-localhost', 'do not add localhost, 127.0.0.1 and ::1 to member certificates, nor listen on 127.0.0.1')
    .option('--owner <user:group>', 'owner install.sh gives the certificates and keys on the nodes (default etcd:etcd)')
    .option('--force', 'replace existing private keys that are unreadable or of another algorithm (they are lost)')
    .option('--json', 'print what was done as JSON');
  command.addHelpText(
    'after',
    `
Writes OUT/ca/ (CA certificate and key; the peer CA, peer-ca.pem and its key; the CRLs,
client-crl.pem and peer-crl.pem), OUT/<member>/ (ca.pem, peer-ca.pem, client-crl.pem, peer-crl.pem,
<member>.pem, <member>-key.pem, <member>-peer.pem, <member>-peer-key.pem, etcd.conf, etcd.yaml,
install.sh), OUT/<client>/
(ca.pem, <client>.pem, <client>-key.pem, <client>.env, install.sh), OUT/manifest.json and
OUT/README.txt, which says what to copy where.

Example (the walkthrough's cluster):
  etcd-pki cluster-bundle -member etcd1=192.168.0.91 -member etcd2=192.168.0.92 \\
      -member etcd3=192.168.0.93 -out etcd-pki-out
  scp -r etcd-pki-out/etcd1 root@192.168.0.91:/root/ && ssh root@192.168.0.91 sh /root/etcd1/install.sh

From a description, with a Kubernetes client and an existing cfssl CA:
  etcd-pki cluster-bundle -config cluster.json -ca rootca.pem -ca-key rootca-key.pem -out etcd-pki-out`,
  );
  return command.action(async (options: ClusterBundleOptions) =>
    // --no-localhost given on the line (not commander's default): it then overrides -config.
    (await import('../actions/cluster-bundle.js')).run(context, options, command.getOptionValueSource('localhost') === 'cli'),
  );
}
