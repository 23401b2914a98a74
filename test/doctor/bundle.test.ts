// Issue 6: a clean cluster-bundle output reports no FAIL and no WARN, whatever its shape.
import { describe, expect, it } from 'vitest';
import { planAddMember } from '../../src/bundle/add-member.js';
import { CHECKS } from '../../src/doctor/findings.js';
import type { ClusterJson } from '../../src/bundle/types.js';
import {
  WALKTHROUGH_CLUSTER,
  copyBundle,
  doctorBundle,
  expectFail,
  findings,
  makeBundle,
  problems,
  put,
  text,
  type BundleFiles,
} from './support.js';

const LOOPBACK: ClusterJson = {
  members: [
    { name: 'etcd1', hosts: ['127.0.0.21'] },
    { name: 'etcd2', hosts: ['127.0.0.22'] },
    { name: 'etcd3', hosts: ['127.0.0.23'] },
  ],
  clients: [{ name: 'etcdctl' }, { name: 'kube-apiserver-etcd-client' }],
};

const describeProblems = (files: Awaited<ReturnType<typeof doctorBundle>>) =>
  problems(files)
    .map((f) => `${f.severity} ${f.check} ${f.member}: ${f.evidence}`)
    .join('\n');

describe('a clean cluster-bundle output', () => {
  it.each([
    { name: "the walkthrough's three members", json: WALKTHROUGH_CLUSTER },
    { name: 'three members on loopback addresses with two clients', json: LOOPBACK },
    { name: 'one shared server certificate', json: { ...WALKTHROUGH_CLUSTER, sharedServerCert: true } },
    {
      name: 'members with DNS names and two addresses',
      json: {
        members: [
          { name: 'a', hosts: ['a.example.com', '10.0.0.1', '10.1.0.1'] },
          { name: 'b', hosts: ['b.example.com', '10.0.0.2'] },
        ],
      },
    },
    {
      name: 'RSA keys, a {name} pki-dir and custom ports',
      json: {
        key: { algo: 'rsa', size: 2048 },
        pkiDir: '/etc/etcd/{name}/pki',
        members: [{ name: 'm1', hosts: ['10.0.0.1'], clientPort: 12379, peerPort: 12380 }],
      } as ClusterJson,
    },
  ])('reports no FAIL and no WARN: $name', async ({ json }) => {
    const report = await doctorBundle(await makeBundle(json));
    expect(describeProblems(report)).toBe('');
    expect(report.status).toBe('OK');
  });

  it('runs every member check on every member, and the client checks on every client', async () => {
    const report = await doctorBundle(await makeBundle(LOOPBACK));
    const memberChecks = Object.keys(CHECKS).filter(
      (id) => !id.startsWith('client.') && !id.startsWith('live.') && id !== 'trust.client' && id !== 'roles.client',
    );
    for (const member of ['etcd1', 'etcd2', 'etcd3']) {
      expect(new Set(report.findings.filter((f) => f.member === member).map((f) => f.check))).toEqual(new Set(memberChecks));
    }
    for (const client of ['etcdctl', 'kube-apiserver-etcd-client']) {
      expect(findings(report, 'client.ca', client, 'OK')).toHaveLength(1);
      expect(findings(report, 'trust.client', client, 'OK')).toHaveLength(1);
    }
  });

  it('stays clean after add-member (etcd4 joins as existing; the founders keep their initial cluster)', async () => {
    const files = await makeBundle();
    const added = await planAddMember({
      bundle: new Map([...files].map(([p, f]) => [p, f.bytes])),
      member: { name: 'etcd4', hosts: ['192.168.0.94'] },
    });
    const after: BundleFiles = copyBundle(files);
    for (const file of added.files) put(after, file.path, file.contents, file.mode);
    expect(text(after, 'etcd4/etcd.conf')).toContain('ETCD_INITIAL_CLUSTER_STATE="existing"');
    const report = await doctorBundle(after);
    expect(describeProblems(report)).toBe('');
    expect(report.subjects).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd4', 'etcdctl']);
  });

  it('warns, without failing, about certificates that expire within 30 days; -warn-days changes the threshold', async () => {
    const files = await makeBundle();
    const soon = new Date(Date.now() + (8760 - 20 * 24) * 3_600_000);
    const report = await doctorBundle(files, { now: soon });
    expect(report.status).toBe('WARN');
    expect(findings(report, 'time.expiring', 'etcd1', 'WARN').map((f) => f.evidence)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^etcd1\.pem expires on .*, in 19 days \(warning threshold 30 days\)$/)]),
    );
    expect((await doctorBundle(files, { now: soon, warnDays: 10 })).status).toBe('OK');
  });

  it('fails when etcd.yaml says other than etcd.conf (config.settings)', async () => {
    const files = copyBundle(await makeBundle());
    put(files, 'etcd2/etcd.yaml', text(files, 'etcd2/etcd.yaml').replace("name: 'etcd2'", "name: 'etcd-2'"));
    const [finding] = expectFail(await doctorBundle(files), 'config.settings', 'etcd2');
    expect(finding!.evidence).toContain('out/etcd2/etcd.yaml gives name "etcd-2" but out/etcd2/etcd.conf gives "etcd2"');
  });

  it('fails when etcd.yaml does not turn the gRPC gateway on, which etcd.conf has by default (issue 16, item 3)', async () => {
    const files = copyBundle(await makeBundle());
    put(files, 'etcd2/etcd.yaml', text(files, 'etcd2/etcd.yaml').replace('enable-grpc-gateway: true\n', ''));
    const [finding] = expectFail(await doctorBundle(files), 'config.settings', 'etcd2');
    expect(finding!.evidence).toContain('enable-grpc-gateway (not set: false with --config-file, so /v3/... answers 404)');
  });

  it('warns when members on loopback addresses have no 127.0.0.1 in their peer certificates (names.peer-source)', async () => {
    const report = await doctorBundle(await makeBundle({ ...LOOPBACK, localhost: false }));
    const found = findings(report, 'names.peer-source', 'etcd1', 'WARN');
    expect(found.map((f) => f.evidence)).toEqual([
      expect.stringContaining(
        "etcd1's connections to etcd2 (https://127.0.0.22:2380) will come from 127.0.0.1, which etcd1-peer.pem does not name",
      ),
    ]);
    expect(found[0]!.fix).toContain('add 127.0.0.1 to the hosts of etcd1-peer.pem');
    expect(report.status).toBe('WARN');
  });
});
