import { envValue } from './etcd-conf.js';

/** What a client's environment file names. */
export interface EtcdctlEnvOptions {
  readonly client: string;
  readonly token: string;
  /** Every member's client URL. */
  readonly endpoints: readonly string[];
  /** Paths on the client's node. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Where this file itself is installed on the node. */
  readonly envFile: string;
}

/**
 * `<client>.env`: the environment etcdctl (API v3) reads to reach the cluster with this client's
 * certificate, in the same `NAME="value"` form as etcd.conf.
 */
export function renderEtcdctlEnv(options: EtcdctlEnvOptions): string {
  const variables: ReadonlyArray<readonly [string, string]> = [
    ['ETCDCTL_API', '3'],
    ['ETCDCTL_ENDPOINTS', joined(options.endpoints)],
    ['ETCDCTL_CACERT', options.caFile],
    ['ETCDCTL_CERT', options.certFile],
    ['ETCDCTL_KEY', options.keyFile],
  ];
  return [
    `# ${options.client}.env: etcdctl's environment for client ${options.client} of cluster "${options.token}", made by etcd-pki.`,
    `# Use it with:  set -a; . ${options.envFile}; set +a; etcdctl endpoint health`,
    '# (etcdctl refuses a flag that repeats one of these variables, e.g. --endpoints: change the file.)',
    ...variables.map(([name, value]) => `${name}=${envValue(name, value)}`),
  ].join('\n') + '\n';
}

// Every client of a cluster gets the same endpoint list, 28 KB at 1,000 members: joined once.
const joinedEndpoints = new WeakMap<readonly string[], string>();

function joined(endpoints: readonly string[]): string {
  let text = joinedEndpoints.get(endpoints);
  if (text === undefined) joinedEndpoints.set(endpoints, (text = endpoints.join(',')));
  return text;
}
