import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPkiCrypto } from '../../src/crypto.js';
import { loadClusterDescription, normaliseClusterDescription } from '../../src/bundle/load.js';
import { readManifest } from '../../src/bundle/manifest.js';
import { planClusterBundle, type ClusterBundle } from '../../src/bundle/plan.js';
import type { ClusterJson } from '../../src/bundle/types.js';
import type { PlannedFile } from '../../src/fileset.js';
import { OID } from '../../src/asn1/oids.js';
import { parseCertificate, isSignedBy } from '../../src/x509/parse.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { expectPkiError } from '../support/errors.js';
import { fixture } from '../support/fixtures.js';
import { opensslVerify, x509Text } from '../support/openssl.js';

const crypto = createPkiCrypto();
const NOW = new Date('2026-11-25T12:00:00Z');
const HOUR = 3_600_000;
const walkthrough = loadClusterDescription(fixture('cluster/walkthrough.json'));

/** A plan's files as the map a re-run reads back. */
function asExisting(files: readonly PlannedFile[]): Map<string, Uint8Array> {
  return new Map(files.map((f) => [f.path, typeof f.contents === 'string' ? new TextEncoder().encode(f.contents) : f.contents]));
}
const text = (bundle: ClusterBundle, path: string) => {
  const file = bundle.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the plan`);
  return typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8');
};
const plan = (cluster = walkthrough, extra: Partial<Parameters<typeof planClusterBundle>[0]> = {}) =>
  planClusterBundle({ cluster, now: NOW, crypto, ...extra });

describe("planClusterBundle on the walkthrough's cluster", () => {
  let bundle: ClusterBundle;
  beforeAll(async () => {
    bundle = await plan();
  });

  it('plans the documented layout, nothing more', () => {
    const member = (m: string) => [
      `${m}/ca.pem`,
      `${m}/peer-ca.pem`,
      `${m}/client-crl.pem`,
      `${m}/peer-crl.pem`,
      `${m}/${m}.pem`,
      `${m}/${m}-key.pem`,
      `${m}/${m}-peer.pem`,
      `${m}/${m}-peer-key.pem`,
      `${m}/etcd.conf`,
      `${m}/etcd.yaml`,
      `${m}/install.sh`,
    ];
    expect(bundle.files.map((f) => f.path).sort()).toEqual(
      [
        'ca/ca.pem',
        'ca/ca-key.pem',
        'ca/peer-ca.pem',
        'ca/peer-ca-key.pem',
        'ca/client-crl.pem',
        'ca/peer-crl.pem',
        ...member('etcd1'),
        ...member('etcd2'),
        ...member('etcd3'),
        'etcdctl/ca.pem',
        'etcdctl/etcdctl.pem',
        'etcdctl/etcdctl-key.pem',
        'etcdctl/etcdctl.env',
        'etcdctl/install.sh',
        'manifest.json',
        'README.txt',
      ].sort(),
    );
  });

  it('marks keys secret with mode 0600, scripts 0755, everything else 0644', () => {
    for (const file of bundle.files) {
      const isKey = file.path.endsWith('-key.pem');
      expect([file.path, file.secret, file.mode]).toEqual([file.path, isKey, isKey ? 0o600 : file.path.endsWith('.sh') ? 0o755 : 0o644]);
    }
  });

  it('keeps the CA key in ca/ only', () => {
    const caKey = text(bundle, 'ca/ca-key.pem');
    expect(
      bundle.files.filter((f) => f.contents === caKey || text(bundle, f.path).includes(caKey.split('\n')[1]!)).map((f) => f.path),
    ).toEqual(['ca/ca-key.pem']);
    expect(bundle.authority).toBe('new');
  });

  it('gives every directory the CA certificate', () => {
    for (const dir of ['etcd1', 'etcd2', 'etcd3', 'etcdctl']) expect(text(bundle, `${dir}/ca.pem`)).toBe(text(bundle, 'ca/ca.pem'));
    const ca = parseCertificate(text(bundle, 'ca/ca.pem'));
    expect(ca.isCA).toBe(true);
    expect(ca.notAfter.getTime() - ca.notBefore.getTime()).toBe(43800 * HOUR);
  });

  it.each(['etcd1', 'etcd2', 'etcd3'])(
    'issues %s server and peer certificates with server and client auth, naming its IP and localhost',
    async (m) => {
      const ip = `192.168.0.9${m.slice(-1)}`;
      for (const name of [`${m}.pem`, `${m}-peer.pem`]) {
        const cert = parseCertificate(text(bundle, `${m}/${name}`));
        expect(cert.extensions.extKeyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
        expect(cert.sans).toEqual({ dns: ['localhost'], ip: [ip, '127.0.0.1', '::1'], email: [], uri: [] });
        expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(8760 * HOUR);
        const openssl = await x509Text(text(bundle, `${m}/${name}`));
        expect(openssl.subject).toBe(`C = US, ST = San Francisco, L = CA, CN = ${m}`);
        // Trust separate: the peer certificate is the peer CA's, the server certificate the client CA's.
        const issuer = name.endsWith('-peer.pem') ? 'ca/peer-ca.pem' : 'ca/ca.pem';
        await opensslVerify(text(bundle, issuer), text(bundle, `${m}/${name}`), { purpose: 'sslserver', atTime: NOW.getTime() / 1000 });
        await opensslVerify(text(bundle, issuer), text(bundle, `${m}/${name}`), { purpose: 'sslclient', atTime: NOW.getTime() / 1000 });
      }
    },
  );

  it('issues the etcdctl client certificate with client auth only and no SANs', async () => {
    const cert = parseCertificate(text(bundle, 'etcdctl/etcdctl.pem'));
    expect(cert.extensions.extKeyUsage).toEqual([OID.clientAuth]);
    expect(cert.extensions.sans).toBeUndefined();
    expect((await x509Text(text(bundle, 'etcdctl/etcdctl.pem'))).subject).toBe('C = US, ST = San Francisco, L = CA, CN = etcdctl');
    await opensslVerify(text(bundle, 'ca/ca.pem'), text(bundle, 'etcdctl/etcdctl.pem'), {
      purpose: 'sslclient',
      atTime: NOW.getTime() / 1000,
    });
  });

  it('writes ECDSA P-256 keys as cfssl does (SEC1)', () => {
    for (const file of bundle.files.filter((f) => f.secret)) expect(text(bundle, file.path)).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });

  it('points each etcd.conf at its own files and the etcdctl env at every member', () => {
    expect(text(bundle, 'etcd2/etcd.conf')).toContain('ETCD_PEER_KEY_FILE="/etc/etcd/pki/etcd2-peer-key.pem"\n');
    expect(text(bundle, 'etcd2/etcd.yaml')).toContain("name: 'etcd2'\n");
    expect(text(bundle, 'etcdctl/etcdctl.env')).toContain(
      'ETCDCTL_ENDPOINTS="https://192.168.0.91:2379,https://192.168.0.92:2379,https://192.168.0.93:2379"\n',
    );
  });

  it('lists every other file in manifest.json with role, owner, mode, SHA-256, and SANs and expiry of certificates', () => {
    const { manifest, cluster } = readManifest(new TextEncoder().encode(text(bundle, 'manifest.json')));
    expect(cluster.json).toEqual({ ...walkthrough.json, trust: 'separate' });
    expect(manifest.files.map((f) => f.path)).toEqual(bundle.files.filter((f) => f.path !== 'manifest.json').map((f) => f.path));
    for (const entry of manifest.files) {
      const file = bundle.files.find((f) => f.path === entry.path)!;
      expect(entry.sha256).toBe(createHash('sha256').update(file.contents).digest('hex'));
      expect(entry.mode).toBe(`0${file.mode.toString(8)}`);
    }
    const server = manifest.files.find((f) => f.path === 'etcd1/etcd1.pem')!;
    const der = parseCertificate(text(bundle, 'etcd1/etcd1.pem'));
    expect(server).toMatchObject({
      role: 'server-certificate',
      owner: 'etcd1',
      certificate: {
        commonName: 'etcd1',
        sans: ['localhost', '192.168.0.91', '127.0.0.1', '::1'],
        notAfter: der.notAfter.toISOString().replace('.000', ''),
        fingerprint: createHash('sha256').update(der.der).digest('hex').toUpperCase().match(/../g)!.join(':'),
      },
    });
    expect(manifest.files.find((f) => f.path === 'ca/ca-key.pem')).toMatchObject({ role: 'ca-key', owner: null, mode: '0600' });
    expect(manifest.files.find((f) => f.path === 'etcdctl/etcdctl.env')).toMatchObject({ role: 'etcdctl-env', owner: 'etcdctl' });
  });

  it('issues and reports every certificate once', () => {
    expect(bundle.certificates.map((c) => [c.path, c.role, c.status])).toEqual([
      ['etcd1/etcd1.pem', 'server', 'issued'],
      ['etcd1/etcd1-peer.pem', 'peer', 'issued'],
      ['etcd2/etcd2.pem', 'server', 'issued'],
      ['etcd2/etcd2-peer.pem', 'peer', 'issued'],
      ['etcd3/etcd3.pem', 'server', 'issued'],
      ['etcd3/etcd3-peer.pem', 'peer', 'issued'],
      ['etcdctl/etcdctl.pem', 'client', 'issued'],
    ]);
    expect(bundle.warnings).toEqual([]);
  });

  describe('run again over its own files', () => {
    it('keeps the CA, every key and certificate, and renders the same files', async () => {
      const again = await plan(walkthrough, { now: new Date(NOW.getTime() + HOUR), existing: asExisting(bundle.files) });
      expect(again.authority).toBe('kept');
      expect(again.certificates.every((c) => c.status === 'kept')).toBe(true);
      expect(asExisting(again.files)).toEqual(asExisting(bundle.files));
    });

    it('issues only what is missing: a deleted certificate is re-issued for its key', async () => {
      const existing = asExisting(bundle.files);
      existing.delete('etcd2/etcd2-peer.pem');
      existing.delete('etcdctl/etcdctl.pem');
      existing.delete('etcdctl/etcdctl-key.pem');
      const again = await plan(walkthrough, { existing });
      expect(again.certificates.filter((c) => c.status !== 'kept')).toEqual([
        { path: 'etcd2/etcd2-peer.pem', role: 'peer', owners: ['etcd2'], status: 'reissued', reason: 'its certificate was missing' },
        { path: 'etcdctl/etcdctl.pem', role: 'client', owners: ['etcdctl'], status: 'issued' },
      ]);
      expect(text(again, 'etcd2/etcd2-peer-key.pem')).toBe(text(bundle, 'etcd2/etcd2-peer-key.pem'));
      const peer = parseCertificate(text(again, 'etcd2/etcd2-peer.pem'));
      expect(await isSignedBy(peer, parseCertificate(text(bundle, 'ca/peer-ca.pem')))).toBe(true);
    });

    it('re-issues certificates whose hosts changed, for the same key', async () => {
      const json: ClusterJson = structuredClone(walkthrough.json);
      json.members[0]!.hosts.push('etcd1.example.com');
      const again = await plan(normaliseClusterDescription(json), { existing: asExisting(bundle.files) });
      expect(again.certificates.filter((c) => c.status !== 'kept').map((c) => [c.path, c.reason])).toEqual([
        ['etcd1/etcd1.pem', 'its hosts changed (now etcd1.example.com, localhost, 192.168.0.91, 127.0.0.1, ::1)'],
        ['etcd1/etcd1-peer.pem', 'its hosts changed (now etcd1.example.com, localhost, 192.168.0.91, 127.0.0.1, ::1)'],
      ]);
      expect(text(again, 'etcd1/etcd1-key.pem')).toBe(text(bundle, 'etcd1/etcd1-key.pem'));
    });

    it('re-issues a certificate whose subject changed, and an expired one', async () => {
      const json: ClusterJson = structuredClone(walkthrough.json);
      json.clients = [{ name: 'etcdctl', CN: 'root' }];
      const renamed = await plan(normaliseClusterDescription(json), { existing: asExisting(bundle.files) });
      expect(renamed.certificates.find((c) => c.role === 'client')).toMatchObject({ status: 'reissued', reason: 'its subject changed' });
      const later = await plan(walkthrough, { existing: asExisting(bundle.files), now: new Date(NOW.getTime() + 9000 * HOUR) });
      expect(later.certificates.every((c) => c.status === 'reissued' && c.reason === 'its certificate has expired')).toBe(true);
    });

    it('re-issues a certificate from another CA', async () => {
      const other = await plan();
      const existing = asExisting(bundle.files);
      existing.set('etcd3/etcd3.pem', asExisting(other.files).get('etcd3/etcd3.pem')!);
      existing.set('etcd3/etcd3-key.pem', asExisting(other.files).get('etcd3/etcd3-key.pem')!);
      const again = await plan(walkthrough, { existing });
      expect(again.certificates.find((c) => c.path === 'etcd3/etcd3.pem')).toMatchObject({
        status: 'reissued',
        reason: 'its certificate was issued by another CA',
      });
    });

    it('keeps members that were added, and warns of directories no longer described', async () => {
      const scaled = loadClusterDescription(fixture('cluster/walkthrough-scaled.json'));
      const grown = await plan(scaled, { existing: asExisting(bundle.files) });
      expect(grown.certificates.filter((c) => c.status !== 'kept').map((c) => c.path)).toEqual(['etcd4/etcd4.pem', 'etcd4/etcd4-peer.pem']);
      const shrunk = await plan(walkthrough, { existing: asExisting(grown.files) });
      expect(shrunk.warnings).toEqual(['etcd4/ is from a member or client no longer in the description; it was left as it is']);
    });

    it('refuses an unreadable key unless forced, then makes a new one', async () => {
      const existing = asExisting(bundle.files);
      existing.set('etcd1/etcd1-key.pem', new TextEncoder().encode('-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n'));
      await expectPkiError(() => plan(walkthrough, { existing }), { code: 'INVALID_PEM', file: 'etcd1/etcd1-key.pem', hint: '--force' });
      const forced = await plan(walkthrough, { existing, force: true });
      expect(forced.certificates.find((c) => c.path === 'etcd1/etcd1.pem')?.status).toBe('issued');
    });

    it('keeps a key of another algorithm with a warning, and replaces it when forced', async () => {
      const json: ClusterJson = { ...structuredClone(walkthrough.json), key: { algo: 'ecdsa', size: 384 } };
      const cluster = normaliseClusterDescription(json);
      const kept = await plan(cluster, { existing: asExisting(bundle.files) });
      expect(kept.warnings).toContain('etcd1/etcd1-key.pem is ecdsa-256, not the ecdsa-384 asked for; kept (pass --force to replace it)');
      expect(kept.certificates.every((c) => c.status === 'kept')).toBe(true);
      const forced = await plan(cluster, { existing: asExisting(bundle.files), force: true });
      expect(forced.certificates.every((c) => c.status === 'issued')).toBe(true);
      expect(text(forced, 'etcd1/etcd1-key.pem')).not.toBe(text(bundle, 'etcd1/etcd1-key.pem'));
    });

    it('refuses a bundle whose CA key is gone', async () => {
      const existing = asExisting(bundle.files);
      existing.delete('ca/ca-key.pem');
      await expectPkiError(() => plan(walkthrough, { existing }), { code: 'INVALID_CLUSTER', file: 'ca/ca.pem', hint: '-ca and -ca-key' });
    });
  });

  it('reports progress once per certificate', async () => {
    const seen: Array<[number, number]> = [];
    await plan(walkthrough, { existing: asExisting(bundle.files), onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [n, 7]));
  });
});

describe('planClusterBundle with an existing CA', () => {
  const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });

  it("issues from cfssl's CA, copies its certificate and never its key", async () => {
    const bundle = await plan(walkthrough, { ca });
    expect(bundle.authority).toBe('external');
    expect(bundle.files.some((f) => f.path === 'ca/ca-key.pem')).toBe(false);
    expect(text(bundle, 'ca/ca.pem')).toBe(ca.certificate.pem);
    const server = parseCertificate(text(bundle, 'etcd1/etcd1.pem'));
    expect(await isSignedBy(server, ca.certificate)).toBe(true);
    expect(text(bundle, 'README.txt')).toContain('its key stayed where -ca-key was');
    const again = await plan(walkthrough, { ca, existing: asExisting(bundle.files) });
    expect(again.certificates.every((c) => c.status === 'kept')).toBe(true);
  });

  it('refuses a CA other than the one the bundle was made with', async () => {
    const own = await plan();
    await expectPkiError(() => plan(walkthrough, { ca, existing: asExisting(own.files) }), {
      code: 'INVALID_CLUSTER',
      file: 'ca/ca.pem',
      message: 'another CA',
    });
  });
});

describe('planClusterBundle options', () => {
  it('issues one shared server certificate naming every member, copied to each', async () => {
    const cluster = loadClusterDescription(fixture('cluster/shared-server-cert.json'));
    const bundle = await plan(cluster);
    expect(text(bundle, 'etcd2/etcd2.pem')).toBe(text(bundle, 'etcd1/etcd1.pem'));
    expect(text(bundle, 'etcd3/etcd3-key.pem')).toBe(text(bundle, 'etcd1/etcd1-key.pem'));
    expect(text(bundle, 'etcd3/etcd3-peer.pem')).not.toBe(text(bundle, 'etcd1/etcd1-peer.pem'));
    const cert = parseCertificate(text(bundle, 'etcd3/etcd3.pem'));
    expect(cert.sans.ip).toEqual(['192.168.0.91', '192.168.0.92', '192.168.0.93', '127.0.0.1', '::1']);
    expect(bundle.certificates.map((c) => [c.path, c.owners.length])).toContainEqual(['etcd1/etcd1.pem', 3]);
    const again = await plan(cluster, { existing: asExisting(bundle.files) });
    expect(again.certificates.every((c) => c.status === 'kept')).toBe(true);
  });

  it('leaves localhost out of certificates when told to, and uses IPv6 addresses', async () => {
    const bundle = await plan(loadClusterDescription(fixture('cluster/ipv6.json')));
    const cert = parseCertificate(text(bundle, 'etcd1/etcd1-peer.pem'));
    expect(cert.sans).toEqual({ dns: [], ip: ['fd00:10::1', '192.168.10.1'], email: [], uri: [] });
  });

  it("uses the description's key, validity, subject names, CA name and client identities", async () => {
    const bundle = await plan(loadClusterDescription(fixture('cluster/kubernetes.json')));
    const ca = parseCertificate(text(bundle, 'ca/ca.pem'));
    expect(ca.notAfter.getTime() - ca.notBefore.getTime()).toBe(87600 * HOUR);
    expect((await x509Text(text(bundle, 'ca/ca.pem'))).subject).toBe('O = Example, OU = Platform, CN = k8s etcd CA');
    expect((await x509Text(text(bundle, 'kube-apiserver-etcd-client/kube-apiserver-etcd-client.pem'))).subject).toBe(
      'O = system:masters, CN = kube-apiserver-etcd-client',
    );
    expect((await x509Text(text(bundle, 'etcdctl/etcdctl.pem'))).subject).toBe('O = Example, OU = Platform, CN = root');
    const client = parseCertificate(text(bundle, 'etcdctl/etcdctl.pem'));
    expect(client.notAfter.getTime() - client.notBefore.getTime()).toBe(2160 * HOUR);
    expect(text(bundle, 'etcd-b/etcd.conf')).toContain('ETCD_CERT_FILE="/etc/kubernetes/pki/etcd/etcd-b.pem"');
    expect(parseCertificate(text(bundle, 'etcd-b/etcd-b.pem')).sans.dns).toEqual(['etcd-b.k8s.example.com', 'localhost']);
  });

  it('makes Ed25519 keys when asked', async () => {
    const cluster = normaliseClusterDescription({ members: [{ name: 'a', hosts: ['10.0.0.1'] }], key: { algo: 'ed25519' } });
    const bundle = await plan(cluster);
    expect(text(bundle, 'a/a-key.pem')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(parseCertificate(text(bundle, 'a/a.pem')).signatureAlgorithm?.name).toBe('Ed25519');
  });
});
