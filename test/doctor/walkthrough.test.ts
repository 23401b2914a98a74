// Issue 6: each mistake of the seed walkthrough (../shared/seed/), reproduced with its own
// etcd.conf blocks (fixtures/doctor/) and the certificates real cfssl made from its CSR JSON
// (fixtures/cfssl/), is reported by the right check with a fix.
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/doctor.js';
import type { EndpointProbe } from '../../src/net/endpoint-probe.js';
import { formatDoctorReport } from '../../src/doctor/report.js';
import { fixture } from '../support/fixtures.js';
import { ACCOUNT_NAMES, ETCD_USER, WALKTHROUGH_NOW, expectFail, findings, walkthroughScenario } from './support.js';

const run = (scenario: ReturnType<typeof walkthroughScenario>) =>
  runDoctor({ ...scenario, user: ETCD_USER, accountNames: ACCOUNT_NAMES, now: WALKTHROUGH_NOW });

describe("the walkthrough's etcd4 block, copied from etcd3's (8.6)", async () => {
  const report = await run(walkthroughScenario('etcd4-copy-paste', ['etcd1.conf', 'etcd2.conf', 'etcd3.conf', 'etcd4.conf']));
  const etcd4 = 'etcd3 (doctor/etcd4-copy-paste/etcd4.conf)';
  const etcd3 = 'etcd3 (doctor/etcd4-copy-paste/etcd3.conf)';

  it('labels the two configurations that both say ETCD_NAME="etcd3" by file', () => {
    expect(report.subjects).toEqual(['etcd1', 'etcd2', etcd3, etcd4]);
  });

  it('reports the shared name (cluster.unique-name)', () => {
    const [finding] = expectFail(report, 'cluster.unique-name', etcd4);
    expect(finding!.evidence).toContain('ETCD_NAME="etcd3" (doctor/etcd4-copy-paste/etcd4.conf:4)');
    expect(finding!.fix).toContain('give each member its own ETCD_NAME');
  });

  it("reports etcd3's address in etcd4's URLs (cluster.unique-address)", () => {
    const [finding] = expectFail(report, 'cluster.unique-address', etcd4);
    expect(finding!.evidence).toContain('192.168.0.93:2380');
  });

  it("reports etcd3's peer certificate in etcd4's configuration (cluster.unique-peer-cert)", () => {
    const [finding] = expectFail(report, 'cluster.unique-peer-cert', etcd4);
    expect(finding!.evidence).toContain('/etc/etcd/pki/etcd3-peer.pem is the same certificate as');
    expect(finding!.fix).toContain('a peer certificate of its own, naming its own address');
  });

  it("reports that etcd4.pem does not name the address etcd4's block serves (names.server)", () => {
    const [finding] = expectFail(report, 'names.server', etcd4);
    expect(finding!.evidence).toContain('etcd4.pem names IP 192.168.0.94, not 192.168.0.93');
  });

  it('reports that nobody advertises etcd4=https://192.168.0.94:2380 (cluster.unknown-member-url)', () => {
    const found = expectFail(report, 'cluster.unknown-member-url', 'etcd1');
    expect(found[0]!.evidence).toContain('etcd4=https://192.168.0.94:2380');
  });

  it('finds nothing of the sort for etcd1 and etcd2', () => {
    for (const check of ['cluster.unique-name', 'cluster.unique-address', 'cluster.unique-peer-cert', 'names.server'] as const) {
      expect(findings(report, check, 'etcd1', 'FAIL')).toEqual([]);
      expect(findings(report, check, 'etcd2', 'FAIL')).toEqual([]);
    }
  });

  it('prints a report grouped by member, with evidence and fix', () => {
    const text = formatDoctorReport(report);
    expect(text).toContain(`member ${etcd4}  (`);
    expect(text).toMatch(/ {2}FAIL {2}cluster\.unique-name {2,}ETCD_NAME="etcd3"/);
    expect(text).toMatch(/ {8}fix: {2,}give each member its own ETCD_NAME/);
    expect(text.trim().split('\n').at(-1)).toMatch(/^\d+ FAIL, \d+ WARN, \d+ OK: etcd or its clients will fail/);
  });
});

describe('ETCD_INITIAL_CLUSTER="etcd1=...,k8s=...,k8=..." (7.3)', async () => {
  const report = await run(walkthroughScenario('initial-cluster-names', ['etcd1.conf', 'etcd2.conf', 'etcd3.conf']));

  it('names each entry whose name is not the name of the member at its URL (cluster.initial-cluster-names)', () => {
    const found = expectFail(report, 'cluster.initial-cluster-names', 'etcd1');
    expect(found.map((f) => f.fix)).toEqual([
      'write etcd2=https://192.168.0.92:2380 in ETCD_INITIAL_CLUSTER',
      'write etcd3=https://192.168.0.93:2380 in ETCD_INITIAL_CLUSTER',
    ]);
    expect(found[0]!.evidence).toContain('names https://192.168.0.92:2380 "k8s", but the member there is "etcd2"');
  });

  it("reports that etcd1's initial cluster differs from the others' (cluster.initial-cluster-agree)", () => {
    expectFail(report, 'cluster.initial-cluster-agree', 'etcd1');
    expect(findings(report, 'cluster.initial-cluster-agree', 'etcd2', 'FAIL')).toEqual([]);
  });

  it('with that line on etcd2, reports etcd\'s "couldn\'t find local name" (cluster.initial-cluster-self)', async () => {
    const scenario = walkthroughScenario('initial-cluster-names', ['etcd2.conf']);
    const text = fixture('doctor/initial-cluster-names/etcd1.conf');
    const line = text.split('\n').find((l) => l.startsWith('ETCD_INITIAL_CLUSTER='))!;
    const { parseConfigFile } = await import('../../src/etcd-config/member-config.js');
    const etcd2 = parseConfigFile(
      fixture('doctor/initial-cluster-names/etcd2.conf').replace(/^ETCD_INITIAL_CLUSTER=.*$/m, line),
      'etcd2.conf',
    );
    if (etcd2.kind !== 'member') throw new Error('member expected');
    const single = await runDoctor({ members: [{ ...scenario.members[0]!, ...etcd2.config, label: 'etcd2' }], now: WALKTHROUGH_NOW });
    const [finding] = expectFail(single, 'cluster.initial-cluster-self', 'etcd2');
    expect(finding!.evidence).toContain('couldn\'t find local name "etcd2" in the initial cluster configuration');
    expect(finding!.fix).toBe('in ETCD_INITIAL_CLUSTER, rename "k8s" to "etcd2": etcd2=https://192.168.0.92:2380');
  });
});

describe('member update ... https://192.168.0.4:2380 (8.3, 8.5)', async () => {
  const scenario = walkthroughScenario('mistyped-peer-url', ['etcd1.conf', 'etcd2.conf', 'etcd3.conf']);
  const memberList = JSON.parse(fixture('doctor/mistyped-peer-url/member-list.json')) as {
    members: Array<{ ID: string; name: string; peerURLs: string[]; clientURLs: string[] }>;
  };
  // What probeEndpoint records from https://192.168.0.91:2379 (no test contacts that address).
  const probe: EndpointProbe = {
    url: 'https://192.168.0.91:2379',
    host: '192.168.0.91',
    caGiven: true,
    clientCertGiven: true,
    chain: [],
    authorized: true,
    withClientCert: { handshake: true, status: 200, body: '{}' },
    withoutClientCert: { handshake: true, error: 'tlsv13 alert certificate required' },
    port: 'client',
    members: memberList.members.map((m) => ({
      id: BigInt(m.ID).toString(16),
      name: m.name,
      peerUrls: m.peerURLs,
      clientUrls: m.clientURLs,
    })),
  };
  const report = await runDoctor({ ...scenario, endpoints: [probe], now: WALKTHROUGH_NOW });

  it('reports the live member URL that matches no member, with the member update that fixes it', () => {
    const found = expectFail(report, 'cluster.unknown-member-url', 'https://192.168.0.91:2379');
    expect(found[0]!.evidence).toContain(
      'gives etcd1 the peer URL https://192.168.0.4:2380, but etcd1 advertises https://192.168.0.91:2380',
    );
    expect(found[0]!.fix).toBe('etcdctl member update 6c70a880257288f --peer-urls=https://192.168.0.91:2380');
  });

  it("reports etcd2 listed at etcd1's peer URL (live.members)", () => {
    const [finding] = expectFail(report, 'live.members', 'https://192.168.0.91:2379');
    expect(finding!.evidence).toContain('calls https://192.168.0.91:2380 "etcd2", but its configuration names it "etcd1"');
  });

  it('reports the same typo written into an initial cluster', async () => {
    const { parseConfigFile } = await import('../../src/etcd-config/member-config.js');
    const typo = parseConfigFile(
      fixture('doctor/mistyped-peer-url/etcd2.conf').replace('etcd1=https://192.168.0.91:2380', 'etcd1=https://192.168.0.4:2380'),
      'etcd2.conf',
    );
    if (typo.kind !== 'member') throw new Error('member expected');
    const members = scenario.members.map((m) => (m.name === 'etcd2' ? { ...m, ...typo.config } : m));
    const static_ = await runDoctor({ members, now: WALKTHROUGH_NOW });
    const [finding] = expectFail(static_, 'cluster.unknown-member-url', 'etcd2');
    expect(finding!.fix).toBe('write etcd1=https://192.168.0.91:2380 in ETCD_INITIAL_CLUSTER');
  });
});

describe('open /etc/etcd/pki/etcd4-peer-key.pem: permission denied (8.4)', async () => {
  const rootOwned = walkthroughScenario('root-owned-keys', ['etcd4.conf'], () => ({ uid: 0, gid: 0 }));
  const report = await run(rootOwned);

  it('reports root:root 0600 keys that the etcd user cannot read, with the chown that fixes it (files.readable)', () => {
    const found = expectFail(report, 'files.readable', 'etcd4');
    const key = found.find((f) => f.evidence.startsWith('ETCD_PEER_KEY_FILE'))!;
    expect(key.evidence).toBe(
      'ETCD_PEER_KEY_FILE=/etc/etcd/pki/etcd4-peer-key.pem is root:root 0600; etcd (uid 102) cannot read it and etcd will fail with "open /etc/etcd/pki/etcd4-peer-key.pem: permission denied"',
    );
    expect(key.fix).toBe('chown etcd:etcd /etc/etcd/pki/etcd4-peer-key.pem && chmod 0600 /etc/etcd/pki/etcd4-peer-key.pem');
  });

  it('finds them readable after chown -R etcd:etcd /etc/etcd/pki/*', async () => {
    const fixed = await run(walkthroughScenario('root-owned-keys', ['etcd4.conf']));
    expect(findings(fixed, 'files.readable', 'etcd4', 'FAIL')).toEqual([]);
    expect(findings(fixed, 'files.readable', 'etcd4', 'OK')).toHaveLength(1);
  });

  it('reports a directory the user cannot enter', async () => {
    const scenario = walkthroughScenario('root-owned-keys', ['etcd4.conf']);
    const members = scenario.members.map((m) => ({
      ...m,
      files: new Map(
        [...m.files].map(([p, f]) => [p, { ...f, directories: [{ path: '/etc/etcd/pki', stat: { mode: 0o40700, uid: 0, gid: 0 } }] }]),
      ),
    }));
    const [finding] = expectFail(await run({ members, clients: [] }), 'files.readable', 'etcd4');
    expect(finding!.evidence).toBe(
      'etcd (uid 102) cannot enter /etc/etcd/pki (root:root 0700), so cannot open etcd4-peer.pem, etcd4-peer-key.pem, rootca.pem in it',
    );
    expect(finding!.fix).toBe('chown etcd:etcd /etc/etcd/pki (or chmod o+x /etc/etcd/pki)');
  });
});

describe('a server profile without client auth, with ETCD_CLIENT_CERT_AUTH="true" (6.1.1)', async () => {
  const report = await run(walkthroughScenario('server-profile-without-client-auth', ['etcd1.conf', 'etcdctl.env']));

  it('reports that etcd1.pem lacks client auth (roles.server)', () => {
    const [finding] = expectFail(report, 'roles.server', 'etcd1');
    expect(finding!.evidence).toContain('etcd1.pem allows server auth, but ETCD_CLIENT_CERT_AUTH is on');
    expect(finding!.fix).toContain('"client auth"');
  });

  it('reports the etcdctl that gives no client certificate: "remote error: tls: bad certificate" (client.cert)', () => {
    const [finding] = expectFail(report, 'client.cert', 'etcdctl');
    expect(finding!.evidence).toContain('remote error: tls: bad certificate');
    expect(finding!.fix).toContain('ETCDCTL_CERT');
  });
});

describe('a client without the CA: "x509: certificate signed by unknown authority" (5.2)', async () => {
  const report = await run(walkthroughScenario('client-without-ca', ['etcd1.conf', 'etcdctl.env']));

  it('reports the client configuration that names no CA (client.ca)', () => {
    const [finding] = expectFail(report, 'client.ca', 'etcdctl');
    expect(finding!.evidence).toContain('x509: certificate signed by unknown authority');
    expect(finding!.fix).toBe(
      "set ETCDCTL_CACERT=the CA certificate that issued the members' server certificates (a bundle's ca.pem, the walkthrough's rootca.pem)",
    );
  });

  it('warns about the plain http listener on 127.0.0.1 next to https (cluster.url-scheme)', () => {
    expect(findings(report, 'cluster.url-scheme', 'etcd1', 'WARN').map((f) => f.evidence)).toEqual([
      expect.stringContaining('ETCD_LISTEN_CLIENT_URLS has http://127.0.0.1:2379 although ETCD_CERT_FILE="/etc/etcd/pki/etcd1.pem"'),
    ]);
  });
});
