// Issue 6: one mutation at a time of a clean bundle, each a mistake people make by hand, and the
// check that must FAIL for it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckId } from '../../src/doctor/findings.js';
import { initCA } from '../../src/signing/operations.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import type { CertificateAuthority } from '../../src/signing/authority.js';
import {
  CLIENT_USAGES,
  SERVER_USAGES,
  bundleAuthority,
  copyBundle,
  doctorBundle,
  expectFail,
  getEnv,
  issue,
  makeBundle,
  problems,
  put,
  setEnv,
  text,
  type BundleFiles,
} from './support.js';

interface World {
  readonly clean: BundleFiles;
  readonly ca: CertificateAuthority;
  readonly foreign: CertificateAuthority;
  readonly foreignCaPem: string;
}

interface Mutation {
  readonly name: string;
  readonly mutate: (files: BundleFiles, world: World) => void | Promise<void>;
  readonly check: CheckId;
  /** The member or client the FAIL is about. */
  readonly member: string;
}

const swap = (files: BundleFiles, a: string, b: string) => {
  const first = files.get(a)!;
  files.set(a, files.get(b)!);
  files.set(b, first);
};
const day = 86_400_000;

const MUTATIONS: Mutation[] = [
  {
    name: "swap two members' server certificates",
    check: 'files.key-match',
    member: 'etcd1',
    mutate: (f) => swap(f, 'etcd1/etcd1.pem', 'etcd2/etcd2.pem'),
  },
  {
    name: "swap two members' peer certificates and keys",
    check: 'names.peer',
    member: 'etcd2',
    mutate: (f) => {
      swap(f, 'etcd1/etcd1-peer.pem', 'etcd2/etcd2-peer.pem');
      swap(f, 'etcd1/etcd1-peer-key.pem', 'etcd2/etcd2-peer-key.pem');
    },
  },
  {
    name: "drop the member's IP from its server certificate",
    check: 'names.server',
    member: 'etcd2',
    mutate: async (f, w) => {
      const { cert, key } = await issue({ ca: w.ca, cn: 'etcd2', hosts: ['localhost', '127.0.0.1'], usages: SERVER_USAGES });
      put(f, 'etcd2/etcd2.pem', cert);
      put(f, 'etcd2/etcd2-key.pem', key);
    },
  },
  {
    name: 'drop 127.0.0.1 from a server certificate that etcd listens on 127.0.0.1 with',
    check: 'names.server',
    member: 'etcd1',
    mutate: async (f, w) => {
      const { cert, key } = await issue({ ca: w.ca, cn: 'etcd1', hosts: ['192.168.0.91'], usages: SERVER_USAGES });
      put(f, 'etcd1/etcd1.pem', cert);
      put(f, 'etcd1/etcd1-key.pem', key);
    },
  },
  {
    name: "drop the member's IP from its peer certificate",
    check: 'names.peer',
    member: 'etcd3',
    mutate: async (f, w) => {
      const { cert, key } = await issue({ ca: w.ca, cn: 'etcd3', hosts: ['localhost', '127.0.0.1'], usages: SERVER_USAGES });
      put(f, 'etcd3/etcd3-peer.pem', cert);
      put(f, 'etcd3/etcd3-peer-key.pem', key);
    },
  },
  {
    name: 'expire a server certificate',
    check: 'time.expired',
    member: 'etcd1',
    mutate: async (f, w) => {
      const { cert, key } = await issue({
        ca: w.ca,
        cn: 'etcd1',
        hosts: ['192.168.0.91', '127.0.0.1'],
        usages: SERVER_USAGES,
        now: new Date(Date.now() - 2 * day),
        expiry: '24h',
      });
      put(f, 'etcd1/etcd1.pem', cert);
      put(f, 'etcd1/etcd1-key.pem', key);
    },
  },
  {
    name: 'a peer certificate not valid yet (issued on a machine whose clock is ahead)',
    check: 'time.not-yet-valid',
    member: 'etcd2',
    mutate: async (f, w) => {
      const { cert, key } = await issue({
        ca: w.ca,
        cn: 'etcd2',
        hosts: ['192.168.0.92', '127.0.0.1'],
        usages: SERVER_USAGES,
        now: new Date(Date.now() + 3 * day),
      });
      put(f, 'etcd2/etcd2-peer.pem', cert);
      put(f, 'etcd2/etcd2-peer-key.pem', key);
    },
  },
  {
    name: "replace a member's CA certificate with another CA",
    check: 'trust.server',
    member: 'etcd2',
    mutate: (f, w) => put(f, 'etcd2/ca.pem', w.foreignCaPem),
  },
  {
    name: "re-issue a member's peer certificate from another CA",
    check: 'trust.peer-cross',
    member: 'etcd1',
    mutate: async (f, w) => {
      const { cert, key } = await issue({ ca: w.foreign, cn: 'etcd3', hosts: ['192.168.0.93', '127.0.0.1'], usages: SERVER_USAGES });
      put(f, 'etcd3/etcd3-peer.pem', cert);
      put(f, 'etcd3/etcd3-peer-key.pem', key);
    },
  },
  {
    name: 'issue the client certificate from another CA',
    check: 'trust.client',
    member: 'etcdctl',
    mutate: async (f, w) => {
      const { cert, key } = await issue({ ca: w.foreign, cn: 'etcdctl', hosts: [], usages: CLIENT_USAGES });
      put(f, 'etcdctl/etcdctl.pem', cert);
      put(f, 'etcdctl/etcdctl-key.pem', key);
    },
  },
  {
    name: 'chmod a server key 0644',
    check: 'files.key-permissions',
    member: 'etcd1',
    mutate: (f) => put(f, 'etcd1/etcd1-key.pem', text(f, 'etcd1/etcd1-key.pem'), 0o644),
  },
  {
    name: 'chmod a peer key 0604',
    check: 'files.key-permissions',
    member: 'etcd3',
    mutate: (f) => put(f, 'etcd3/etcd3-peer-key.pem', text(f, 'etcd3/etcd3-peer-key.pem'), 0o604),
  },
  {
    name: 'chmod a client key 0666',
    check: 'files.key-permissions',
    member: 'etcdctl',
    mutate: (f) => put(f, 'etcdctl/etcdctl-key.pem', text(f, 'etcdctl/etcdctl-key.pem'), 0o666),
  },
  {
    name: "typo a member's URL in another's initial cluster (192.168.0.2 for .92)",
    check: 'cluster.unknown-member-url',
    member: 'etcd1',
    mutate: (f) =>
      setEnv(f, 'etcd1', 'ETCD_INITIAL_CLUSTER', getEnv(f, 'etcd1', 'ETCD_INITIAL_CLUSTER').replace('192.168.0.92', '192.168.0.2')),
  },
  {
    name: 'typo the advertised peer URL',
    check: 'cluster.initial-cluster-self',
    member: 'etcd3',
    mutate: (f) => setEnv(f, 'etcd3', 'ETCD_INITIAL_ADVERTISE_PEER_URLS', 'https://192.168.0.39:2380'),
  },
  {
    name: 'drop the port of a URL',
    check: 'cluster.url-syntax',
    member: 'etcd1',
    mutate: (f) => setEnv(f, 'etcd1', 'ETCD_ADVERTISE_CLIENT_URLS', 'https://192.168.0.91'),
  },
  {
    name: 'add a path to a URL',
    check: 'cluster.url-syntax',
    member: 'etcd2',
    mutate: (f) => setEnv(f, 'etcd2', 'ETCD_LISTEN_PEER_URLS', 'https://192.168.0.92:2380/'),
  },
  {
    name: 'advertise 0.0.0.0',
    check: 'cluster.url-syntax',
    member: 'etcd2',
    mutate: (f) => setEnv(f, 'etcd2', 'ETCD_ADVERTISE_CLIENT_URLS', 'https://0.0.0.0:2379'),
  },
  {
    name: 'a different token on one member',
    check: 'cluster.token',
    member: 'etcd3',
    mutate: (f) => setEnv(f, 'etcd3', 'ETCD_INITIAL_CLUSTER_TOKEN', 'etcd-cluster-2'),
  },
  {
    name: 'two members with one name',
    check: 'cluster.unique-name',
    member: 'etcd1 (out/etcd2/etcd.conf)',
    mutate: (f) => setEnv(f, 'etcd2', 'ETCD_NAME', 'etcd1'),
  },
  {
    name: 'a member name in the initial cluster that is not its ETCD_NAME (k8s)',
    check: 'cluster.initial-cluster-names',
    member: 'etcd1',
    mutate: (f) => {
      for (const m of ['etcd1', 'etcd2', 'etcd3'])
        setEnv(f, m, 'ETCD_INITIAL_CLUSTER', getEnv(f, m, 'ETCD_INITIAL_CLUSTER').replace('etcd2=', 'k8s='));
    },
  },
  {
    name: 'misspell the initial cluster state',
    check: 'cluster.state',
    member: 'etcd2',
    mutate: (f) => setEnv(f, 'etcd2', 'ETCD_INITIAL_CLUSTER_STATE', 'exisitng'),
  },
  {
    name: 'one member with another initial cluster',
    check: 'cluster.initial-cluster-agree',
    member: 'etcd3',
    mutate: (f) => setEnv(f, 'etcd3', 'ETCD_INITIAL_CLUSTER', 'etcd3=https://192.168.0.93:2380'),
  },
  {
    name: 'advertise http where the member serves https',
    check: 'cluster.url-scheme',
    member: 'etcd1',
    mutate: (f) => setEnv(f, 'etcd1', 'ETCD_ADVERTISE_CLIENT_URLS', 'http://192.168.0.91:2379'),
  },
  {
    name: 'https peer URLs without the peer certificate',
    check: 'cluster.url-scheme',
    member: 'etcd2',
    mutate: (f) => {
      setEnv(f, 'etcd2', 'ETCD_PEER_CERT_FILE', undefined);
      setEnv(f, 'etcd2', 'ETCD_PEER_KEY_FILE', undefined);
    },
  },
  {
    name: 'misspell ETCD_PEER_CERT_FILE (etcd ignores it)',
    check: 'cluster.url-scheme',
    member: 'etcd1',
    mutate: (f) => put(f, 'etcd1/etcd.conf', text(f, 'etcd1/etcd.conf').replace('ETCD_PEER_CERT_FILE=', 'ETCD_PEER_CERT_FLIE=')),
  },
  {
    name: 'client-cert-auth without a trusted CA',
    check: 'auth.client',
    member: 'etcd3',
    mutate: (f) => setEnv(f, 'etcd3', 'ETCD_TRUSTED_CA_FILE', undefined),
  },
  {
    name: "copy another member's peer certificate and key",
    check: 'cluster.unique-peer-cert',
    member: 'etcd3',
    mutate: (f) => {
      put(f, 'etcd3/etcd3-peer.pem', text(f, 'etcd2/etcd2-peer.pem'));
      put(f, 'etcd3/etcd3-peer-key.pem', text(f, 'etcd2/etcd2-peer-key.pem'), 0o600);
    },
  },
  {
    name: 'two members advertising one client address',
    check: 'cluster.unique-address',
    member: 'etcd3',
    mutate: (f) => setEnv(f, 'etcd3', 'ETCD_ADVERTISE_CLIENT_URLS', 'https://192.168.0.92:2379'),
  },
  {
    name: "a server certificate from the walkthrough's server profile (no client auth)",
    check: 'roles.server',
    member: 'etcd2',
    mutate: async (f, w) => {
      const { cert, key } = await issue({
        ca: w.ca,
        cn: 'etcd2',
        hosts: ['192.168.0.92', '127.0.0.1'],
        usages: ['signing', 'key encipherment', 'server auth'],
      });
      put(f, 'etcd2/etcd2.pem', cert);
      put(f, 'etcd2/etcd2-key.pem', key);
    },
  },
  {
    name: 'a peer certificate without client auth',
    check: 'roles.peer',
    member: 'etcd1',
    mutate: async (f, w) => {
      const { cert, key } = await issue({
        ca: w.ca,
        cn: 'etcd1',
        hosts: ['192.168.0.91', '127.0.0.1'],
        usages: ['signing', 'key encipherment', 'server auth'],
      });
      put(f, 'etcd1/etcd1-peer.pem', cert);
      put(f, 'etcd1/etcd1-peer-key.pem', key);
    },
  },
  {
    name: 'a client certificate with server auth only',
    check: 'roles.client',
    member: 'etcdctl',
    mutate: async (f, w) => {
      const { cert, key } = await issue({ ca: w.ca, cn: 'etcdctl', hosts: [], usages: ['signing', 'key encipherment', 'server auth'] });
      put(f, 'etcdctl/etcdctl.pem', cert);
      put(f, 'etcdctl/etcdctl-key.pem', key);
    },
  },
  {
    name: 'a client without the CA',
    check: 'client.ca',
    member: 'etcdctl',
    mutate: (f) => put(f, 'etcdctl/etcdctl.env', text(f, 'etcdctl/etcdctl.env').replace(/^ETCDCTL_CACERT=.*\n/m, '')),
  },
  {
    name: 'a client without a certificate',
    check: 'client.cert',
    member: 'etcdctl',
    mutate: (f) => put(f, 'etcdctl/etcdctl.env', text(f, 'etcdctl/etcdctl.env').replace(/^ETCDCTL_(CERT|KEY)=.*\n/gm, '')),
  },
  { name: 'a missing peer key', check: 'files.present', member: 'etcd2', mutate: (f) => void f.delete('etcd2/etcd2-peer-key.pem') },
  {
    name: 'a truncated certificate',
    check: 'files.pem',
    member: 'etcd1',
    mutate: (f) => put(f, 'etcd1/etcd1.pem', text(f, 'etcd1/etcd1.pem').slice(0, 300)),
  },
  {
    name: 'certificate and key paths swapped',
    check: 'files.pem',
    member: 'etcd2',
    mutate: (f) => {
      const cert = getEnv(f, 'etcd2', 'ETCD_CERT_FILE');
      setEnv(f, 'etcd2', 'ETCD_CERT_FILE', getEnv(f, 'etcd2', 'ETCD_KEY_FILE'));
      setEnv(f, 'etcd2', 'ETCD_KEY_FILE', cert);
    },
  },
  {
    name: "another member's key",
    check: 'files.key-match',
    member: 'etcd3',
    mutate: (f) => put(f, 'etcd3/etcd3-peer-key.pem', text(f, 'etcd1/etcd1-peer-key.pem'), 0o600),
  },
  {
    name: 'etcd.yaml that says another name than etcd.conf',
    check: 'config.settings',
    member: 'etcd1',
    mutate: (f) => put(f, 'etcd1/etcd.yaml', text(f, 'etcd1/etcd.yaml').replace("name: 'etcd1'", "name: 'etcd01'")),
  },
];

describe('doctor over one mutation at a time of a clean bundle', () => {
  const world = {} as { value: World };
  beforeAll(async () => {
    const clean = await makeBundle();
    const foreign = await initCA({ request: normaliseCertificateRequest({ CN: 'ETCD Root CA', key: { algo: 'ecdsa', size: 256 } }) });
    world.value = { clean, ca: bundleAuthority(clean), foreign: foreign.authority, foreignCaPem: foreign.cert };
  });

  it('starts from a bundle with no FAIL and no WARN', async () => {
    expect(problems(await doctorBundle(world.value.clean))).toEqual([]);
  });

  it(`has at least 25 mutations (${MUTATIONS.length})`, () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
  });

  it.each(MUTATIONS)('$name: $check FAILs for $member', async ({ mutate, check, member }) => {
    const files = copyBundle(world.value.clean);
    await mutate(files, world.value);
    const report = await doctorBundle(files);
    expect(report.status).toBe('FAIL');
    expectFail(report, check, member);
    for (const finding of problems(report)) expect(finding.fix, `${finding.check}: ${finding.evidence}`).toMatch(/\S/);
  });
});
