import { envValue } from './etcd-conf.js';
import type { RenderMemo } from './memo.js';

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
  /** The plan's memo of cluster-wide values; default none. */
  readonly memo?: RenderMemo | undefined;
}

/**
 * `<client>.env`: the environment etcdctl (API v3) reads to reach the cluster with this client's
 * certificate, in the same `NAME="value"` form as etcd.conf.
 */
export function renderEtcdctlEnv(options: EtcdctlEnvOptions): string {
  const variables: ReadonlyArray<readonly [string, string]> = [
    ['ETCDCTL_API', '3'],
    ['ETCDCTL_ENDPOINTS', joined(options.endpoints, options.memo)],
    ['ETCDCTL_CACERT', options.caFile],
    ['ETCDCTL_CERT', options.certFile],
    ['ETCDCTL_KEY', options.keyFile],
  ];
  return (
    [
      `# ${options.client}.env: etcdctl's environment for client ${options.client} of cluster "${options.token}", made by etcd-pki.`,
      `# Use it with:  set -a; . ${options.envFile}; set +a; etcdctl endpoint health`,
      '# (etcdctl refuses a flag that repeats one of these variables, e.g. --endpoints: change the file.)',
      ...variables.map(([name, value]) => `${name}=${envValue(name, value, options.memo)}`),
    ].join('\n') + '\n'
  );
}

// Every client of a cluster gets the same endpoint list, 28 KB at 1,000 members: joined once a plan.
function joined(endpoints: readonly string[], memo: RenderMemo | undefined): string {
  const known = memo?.joined.get(endpoints);
  if (known !== undefined) return known;
  const text = endpoints.join(',');
  memo?.joined.set(endpoints, text);
  return text;
}
