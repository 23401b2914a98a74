import { beforeAll, describe, expect, it } from 'vitest';
import { createPkiCrypto } from '../../src/crypto.js';
import { planAddMember } from '../../src/bundle/add-member.js';
import { loadClusterDescription } from '../../src/bundle/load.js';
import { readManifest } from '../../src/bundle/manifest.js';
import { planClusterBundle } from '../../src/bundle/plan.js';
import type { PlannedFile } from '../../src/fileset.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { isSignedBy, parseCertificate } from '../../src/x509/parse.js';
import { expectPkiError } from '../support/errors.js';
import { fixture } from '../support/fixtures.js';

const crypto = createPkiCrypto();
const NOW = new Date('2026-11-25T12:00:00Z');
const bytes = (files: readonly PlannedFile[]) =>
  new Map(files.map((f) => [f.path, typeof f.contents === 'string' ? new TextEncoder().encode(f.contents) : f.contents]));
const text = (files: readonly PlannedFile[], path: string) => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path}`);
  return typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8');
};

describe("planAddMember: the walkthrough's etcd4", () => {
  let bundle: Map<string, Uint8Array>;
  let result: Awaited<ReturnType<typeof planAddMember>>;
  beforeAll(async () => {
    const first = await planClusterBundle({ cluster: loadClusterDescription(fixture('cluster/walkthrough.json')), now: NOW, crypto });
    bundle = bytes(first.files);
    result = await planAddMember({ bundle, member: { name: 'etcd4', hosts: ['192.168.0.94'] }, now: NOW, crypto });
  });

  it("writes the new member's directory, the client env, the manifest and README, nothing else", () => {
    expect(result.files.map((f) => f.path).sort()).toEqual(
      [
        'etcd4/ca.pem',
        'etcd4/peer-ca.pem',
        'etcd4/client-crl.pem',
        'etcd4/peer-crl.pem',
        'etcd4/etcd4.pem',
        'etcd4/etcd4-key.pem',
        'etcd4/etcd4-peer.pem',
        'etcd4/etcd4-peer-key.pem',
        'etcd4/etcd.conf',
        'etcd4/etcd.yaml',
        'etcd4/install.sh',
        'etcdctl/etcdctl.env',
        'manifest.json',
        'README.txt',
      ].sort(),
    );
  });

  it('configures it to join the existing cluster, listing all four members', () => {
    const conf = text(result.files, 'etcd4/etcd.conf');
    expect(conf).toContain('ETCD_INITIAL_CLUSTER_STATE="existing"\n');
    expect(conf).toContain(
      'ETCD_INITIAL_CLUSTER="etcd1=https://192.168.0.91:2380,etcd2=https://192.168.0.92:2380,etcd3=https://192.168.0.93:2380,etcd4=https://192.168.0.94:2380"\n',
    );
    expect(conf).toContain('ETCD_NAME="etcd4"\n');
    expect(conf).toContain('ETCD_PEER_CERT_FILE="/etc/etcd/pki/etcd4-peer.pem"\n');
  });

  it('issues its certificates from the bundle CA (the peer one from the peer CA), for its own address', async () => {
    for (const [name, issuer] of [
      ['etcd4/etcd4.pem', 'ca/ca.pem'],
      ['etcd4/etcd4-peer.pem', 'ca/peer-ca.pem'],
    ] as const) {
      const cert = parseCertificate(text(result.files, name));
      expect(await isSignedBy(cert, parseCertificate(bundle.get(issuer)!))).toBe(true);
      expect(cert.sans.ip).toEqual(['192.168.0.94', '127.0.0.1', '::1']);
    }
  });

  it('adds the member to the client endpoints and the manifest, as "existing"', () => {
    expect(text(result.files, 'etcdctl/etcdctl.env')).toContain('https://192.168.0.93:2379,https://192.168.0.94:2379"\n');
    const { cluster } = readManifest(new TextEncoder().encode(text(result.files, 'manifest.json')));
    expect(cluster.members.map((m) => [m.name, m.initialClusterState])).toEqual([
      ['etcd1', 'new'],
      ['etcd2', 'new'],
      ['etcd3', 'new'],
      ['etcd4', 'existing'],
    ]);
  });

  it('gives the exact etcdctl member add command', () => {
    expect(result.memberAddCommand).toEqual(['etcdctl', 'member', 'add', 'etcd4', '--peer-urls=https://192.168.0.94:2380']);
  });

  it("leaves a fifth member's ETCD_INITIAL_CLUSTER listing all five", async () => {
    const after = new Map(bundle);
    for (const [path, value] of bytes(result.files)) after.set(path, value);
    const fifth = await planAddMember({ bundle: after, member: { name: 'etcd5', hosts: ['192.168.0.95'] }, now: NOW, crypto });
    expect(text(fifth.files, 'etcd5/etcd.conf')).toContain(',etcd4=https://192.168.0.94:2380,etcd5=https://192.168.0.95:2380"\n');
    expect(fifth.files.some((f) => f.path.startsWith('etcd4/'))).toBe(false);
  });

  it.each([
    {
      name: "refuses the walkthrough's copy-paste: etcd3's address again",
      member: { name: 'etcd4', hosts: ['192.168.0.93'] },
      message: 'member "etcd3"',
    },
    {
      name: 'refuses a name already in the bundle',
      member: { name: 'etcd2', hosts: ['192.168.0.94'] },
      message: 'already has a member named "etcd2"',
    },
    {
      name: 'refuses a name a client has',
      member: { name: 'etcdctl', hosts: ['192.168.0.94'] },
      message: 'already has a client named "etcdctl"',
    },
    { name: 'refuses a member without an IP address', member: { name: 'etcd4', hosts: ['etcd4.example.com'] }, message: 'no IP address' },
  ])('$name', async ({ member, message }) => {
    const error = await expectPkiError(() => planAddMember({ bundle, member, now: NOW, crypto }), { code: 'INVALID_CLUSTER', message });
    expect(error.file).toBeUndefined();
  });

  it('refuses a directory without manifest.json', async () => {
    await expectPkiError(() => planAddMember({ bundle: new Map(), member: { name: 'x', hosts: ['10.0.0.1'] } }), {
      code: 'INVALID_CLUSTER',
      message: 'no manifest.json',
    });
  });
});

describe('planAddMember with a shared server certificate', () => {
  it('re-issues the shared certificate for the same key, to every member, and says so', async () => {
    const first = await planClusterBundle({
      cluster: loadClusterDescription(fixture('cluster/shared-server-cert.json')),
      now: NOW,
      crypto,
    });
    const bundle = bytes(first.files);
    const result = await planAddMember({ bundle, member: { name: 'etcd4', hosts: ['192.168.0.94'] }, now: NOW, crypto });
    const paths = result.files.map((f) => f.path);
    for (const m of ['etcd1', 'etcd2', 'etcd3', 'etcd4']) expect(paths).toContain(`${m}/${m}.pem`);
    expect(paths).not.toContain('etcd1/etcd1-key.pem');
    expect(text(result.files, 'etcd4/etcd4-key.pem')).toBe(text(first.files, 'etcd1/etcd1-key.pem'));
    expect(parseCertificate(text(result.files, 'etcd2/etcd2.pem')).sans.ip).toContain('192.168.0.94');
    expect(result.warnings.join()).toContain('shared server certificate was re-issued');
  });
});

describe('planAddMember on a bundle made with an existing CA', () => {
  it('needs that CA again, and issues from it', async () => {
    const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });
    const first = await planClusterBundle({ cluster: loadClusterDescription(fixture('cluster/walkthrough.json')), ca, now: NOW, crypto });
    const bundle = bytes(first.files);
    const member = { name: 'etcd4', hosts: ['192.168.0.94'] };
    await expectPkiError(() => planAddMember({ bundle, member, now: NOW, crypto }), { code: 'INVALID_CLUSTER', hint: '-ca and -ca-key' });
    const result = await planAddMember({ bundle, member, ca, now: NOW, crypto });
    expect(await isSignedBy(parseCertificate(text(result.files, 'etcd4/etcd4.pem')), ca.certificate)).toBe(true);
  });
});
