import { X509Certificate, createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/manifest.js';
import { planRenewal } from '../../src/lifecycle/renew.js';
import { validateClusterDescription } from '../../src/bundle/load.js';
import { planClusterBundle } from '../../src/bundle/plan.js';
import { renderSteps } from '../../src/lifecycle/steps.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { expectPkiError } from '../support/errors.js';
import { opensslVerify, x509Text } from '../support/openssl.js';
import { MADE, THREE_MEMBERS, apply, crypto, makeBundle, text } from './bundle.js';

const LATER = new Date('2026-11-01T00:00:00Z');
const x509 = (bundle: ReadonlyMap<string, Uint8Array>, path: string) => new X509Certificate(text(bundle, path));
const spki = (cert: X509Certificate) => cert.publicKey.export({ type: 'spki', format: 'der' }).toString('hex');

describe('planRenewal', () => {
  let bundle: Map<string, Uint8Array>;
  beforeAll(async () => {
    bundle = await makeBundle();
  });

  it("re-issues a member's server and peer certificates with the same subject, SANs, usages and key", async () => {
    const plan = await planRenewal({ bundle, select: { members: ['etcd2'] }, now: LATER, crypto });
    expect(plan.files.map((f) => f.path)).toEqual(['etcd2/etcd2.pem', 'etcd2/etcd2-peer.pem', 'manifest.json']);
    const after = apply(bundle, plan);
    for (const path of ['etcd2/etcd2.pem', 'etcd2/etcd2-peer.pem']) {
      const [old, renewed] = [x509(bundle, path), x509(after, path)];
      expect(renewed.serialNumber).not.toBe(old.serialNumber);
      expect(renewed.subject).toBe(old.subject);
      expect(renewed.subjectAltName).toBe(old.subjectAltName);
      expect(renewed.keyUsage).toEqual(old.keyUsage);
      expect(spki(renewed)).toBe(spki(old));
      expect(new Date(renewed.validTo).getTime()).toBe(Date.UTC(2027, 10, 1) - 5 * 60_000);
      const [oldText, newText] = await Promise.all([x509Text(text(bundle, path)), x509Text(text(after, path))]);
      expect(newText.extensions.map((e) => `${e.name} ${e.critical} ${e.value}`).filter((e) => !/Key Identifier/.test(e))).toEqual(
        oldText.extensions.map((e) => `${e.name} ${e.critical} ${e.value}`).filter((e) => !/Key Identifier/.test(e)),
      );
      await opensslVerify(text(bundle, 'ca/ca.pem'), text(after, path), { purpose: 'sslserver' });
    }
    expect(plan.renewed.map((r) => ({ role: r.role, owners: r.owners, keyRotated: r.keyRotated }))).toEqual([
      { role: 'server', owners: ['etcd2'], keyRotated: false },
      { role: 'peer', owners: ['etcd2'], keyRotated: false },
    ]);
  });

  it('brings manifest.json up to date: the hash and fingerprint of each renewed file', async () => {
    const plan = await planRenewal({ bundle, select: { clients: ['etcdctl'] }, now: LATER, crypto });
    const after = apply(bundle, plan);
    const manifest = JSON.parse(text(after, 'manifest.json')) as BundleManifest;
    const before = JSON.parse(text(bundle, 'manifest.json')) as BundleManifest;
    expect(manifest.files.map((f) => f.path)).toEqual(before.files.map((f) => f.path));
    const entry = manifest.files.find((f) => f.path === 'etcdctl/etcdctl.pem')!;
    expect(entry.sha256).toBe(createHash('sha256').update(after.get('etcdctl/etcdctl.pem')!).digest('hex'));
    expect(entry.certificate?.fingerprint).toBe(x509(after, 'etcdctl/etcdctl.pem').fingerprint256);
    expect(entry.certificate?.notAfter).toBe('2027-10-31T23:55:00Z');
    const untouched = manifest.files.filter((f) => f.path !== 'etcdctl/etcdctl.pem');
    expect(untouched).toEqual(before.files.filter((f) => f.path !== 'etcdctl/etcdctl.pem'));
  });

  it('makes new keys with -rotate-key, written 0600 before their certificates', async () => {
    const plan = await planRenewal({ bundle, select: { members: ['etcd1'] }, rotateKey: true, now: LATER, crypto });
    expect(plan.files.map((f) => `${f.path} ${f.mode.toString(8)} ${f.secret}`)).toEqual([
      'etcd1/etcd1-key.pem 600 true',
      'etcd1/etcd1.pem 644 false',
      'etcd1/etcd1-peer-key.pem 600 true',
      'etcd1/etcd1-peer.pem 644 false',
      'manifest.json 644 false',
    ]);
    const after = apply(bundle, plan);
    expect(spki(x509(after, 'etcd1/etcd1.pem'))).not.toBe(spki(x509(bundle, 'etcd1/etcd1.pem')));
    expect(
      x509(after, 'etcd1/etcd1.pem').checkPrivateKey((await import('node:crypto')).createPrivateKey(text(after, 'etcd1/etcd1-key.pem'))),
    ).toBe(true);
    expect(text(after, 'etcd1/etcd1-key.pem')).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const steps = renderSteps(plan.steps, 'OUT');
    expect(steps).toContain(
      '1. copy OUT/etcd1/ to member etcd1 (127.0.0.31) and run its install.sh there as root; it installs:\n     OUT/etcd1/etcd1-key.pem -> /etc/etcd/pki/etcd1-key.pem',
    );
    expect(steps).toContain('key first');
  });

  it('renews every member and client with all, and says that no restart is needed', async () => {
    const plan = await planRenewal({ bundle, select: { all: true }, now: LATER, crypto });
    expect(plan.renewed).toHaveLength(8);
    expect(plan.steps.map((s) => s.kind)).toEqual(['copy', 'copy', 'copy', 'copy', 'copy', 'no-restart', 'note', 'next']);
    expect(renderSteps(plan.steps, 'OUT')).toContain(
      'no restart: etcd reads its server and peer certificate and key files again at every new TLS handshake',
    );
  });

  it("takes a new validity and, for one member, new hosts, with localhost's added as cluster-bundle adds them", async () => {
    const plan = await planRenewal({
      bundle,
      select: { members: ['etcd3'] },
      expiry: 48 * 3_600_000,
      hosts: ['127.0.0.33', 'etcd3.example.com'],
      now: LATER,
      crypto,
    });
    const after = apply(bundle, plan);
    for (const path of ['etcd3/etcd3.pem', 'etcd3/etcd3-peer.pem']) {
      const renewed = x509(after, path);
      expect(renewed.subjectAltName).toBe(
        'DNS:etcd3.example.com, DNS:localhost, IP Address:127.0.0.33, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
      );
      expect(new Date(renewed.validTo).getTime() - new Date(renewed.validFrom).getTime()).toBe(48 * 3_600_000);
    }
  });

  it('records new hosts in manifest.json, so that re-running cluster-bundle keeps the renewed certificates', async () => {
    // localhost's names given or not, in any order and spelling: the member's hosts are the same.
    const plan = await planRenewal({
      bundle,
      select: { members: ['etcd1'] },
      hosts: ['etcd1.example.com', 'LOCALHOST', '127.0.0.31', '::1'],
      now: LATER,
      crypto,
    });
    const after = apply(bundle, plan);
    const manifest = JSON.parse(text(after, 'manifest.json')) as BundleManifest;
    expect(manifest.cluster.members.map((m) => m.hosts)).toEqual([['127.0.0.31', 'etcd1.example.com'], ['127.0.0.32'], ['127.0.0.33']]);
    const cluster = validateClusterDescription(manifest.cluster);
    const rerun = await planClusterBundle({ cluster, existing: after, now: LATER, crypto });
    expect(rerun.certificates.filter((c) => c.status !== 'kept')).toEqual([]);
    expect(text(apply(after, rerun), 'etcd1/etcd1.pem')).toBe(text(after, 'etcd1/etcd1.pem'));
  });

  it("gives a shared server certificate the new hosts with every other member's", async () => {
    const shared = await makeBundle({ ...THREE_MEMBERS, sharedServerCert: true });
    const plan = await planRenewal({
      bundle: shared,
      select: { members: ['etcd2'] },
      hosts: ['127.0.0.32', 'etcd2.example.com'],
      now: LATER,
      crypto,
    });
    const sans = x509(apply(shared, plan), 'etcd1/etcd1.pem').subjectAltName!;
    for (const host of [
      'IP Address:127.0.0.31',
      'IP Address:127.0.0.32',
      'IP Address:127.0.0.33',
      'DNS:etcd2.example.com',
      'DNS:localhost',
    ])
      expect(sans).toContain(host);
  });

  it.each([
    {
      name: "hosts that leave out the member's advertised address (every configuration names it)",
      select: { members: ['etcd1'] },
      hosts: ['etcd1.example.com'],
      message: '-hosts leaves out 127.0.0.31',
      hint: 'add-member',
    },
    {
      name: 'hosts for a client (a client certificate names none)',
      select: { clients: ['etcdctl'] },
      hosts: ['10.0.0.1'],
      message: 'etcdctl is a client',
      hint: 'without -hosts',
    },
  ])('refuses $name', async ({ select, hosts, message, hint }) => {
    await expectPkiError(() => planRenewal({ bundle, select, hosts, now: LATER, crypto }), { code: 'USAGE', message, hint });
  });

  it('warns when a certificate would outlive its CA', async () => {
    const plan = await planRenewal({ bundle, select: { clients: ['etcdctl'] }, expiry: 10 * 8760 * 3_600_000, now: LATER, crypto });
    expect(plan.warnings).toEqual([expect.stringContaining('after its CA expires')]);
  });

  it('renews every copy of a shared server certificate, and says so', async () => {
    const shared = await makeBundle({ ...THREE_MEMBERS, sharedServerCert: true });
    const plan = await planRenewal({ bundle: shared, select: { members: ['etcd1'] }, now: LATER, crypto });
    expect(plan.files.map((f) => f.path)).toEqual([
      'etcd1/etcd1.pem',
      'etcd2/etcd2.pem',
      'etcd3/etcd3.pem',
      'etcd1/etcd1-peer.pem',
      'manifest.json',
    ]);
    expect(plan.warnings).toEqual(['etcd1/etcd1.pem is shared with etcd2, etcd3: their copies are renewed too']);
    const after = apply(shared, plan);
    expect(text(after, 'etcd2/etcd2.pem')).toBe(text(after, 'etcd1/etcd1.pem'));
  });

  it.each([
    {
      name: 'an unknown member, listing the members',
      select: { members: ['zookeeper'] },
      message: 'no member named "zookeeper"',
      hint: 'etcd1, etcd2, etcd3',
    },
    { name: 'a misspelt member', select: { members: ['etc1'] }, message: 'no member named "etc1"', hint: 'did you mean etcd1?' },
    {
      name: 'a client named as a member',
      select: { members: ['etcdctl'] },
      message: 'etcdctl is a client of this bundle',
      hint: '-client etcdctl',
    },
    { name: 'an empty selection', select: {}, message: 'nothing to renew', hint: '-all' },
  ])('refuses $name', async ({ select, message, hint }) => {
    await expectPkiError(() => planRenewal({ bundle, select, now: LATER, crypto }), { code: 'USAGE', message, hint });
  });

  it('refuses -hosts for more than one member or client', async () => {
    await expectPkiError(
      () => planRenewal({ bundle, select: { members: ['etcd1', 'etcd2'] }, hosts: ['127.0.0.31'], now: LATER, crypto }),
      {
        code: 'USAGE',
        message: 'the hosts of one member, but 2 are selected',
      },
    );
  });

  it('needs the CA when the bundle holds no CA key, and refuses another CA', async () => {
    const external = new Map(bundle);
    external.delete('ca/ca-key.pem');
    await expectPkiError(() => planRenewal({ bundle: external, select: { all: true }, now: LATER, crypto }), {
      code: 'INVALID_CLUSTER',
      file: 'ca/ca-key.pem',
      hint: '-ca and -ca-key',
    });
    const ca = loadCertificateAuthority({ certificate: bundle.get('ca/ca.pem')!, key: bundle.get('ca/ca-key.pem')! });
    const plan = await planRenewal({ bundle: external, select: { clients: ['etcdctl'] }, ca, now: LATER, crypto });
    expect(plan.renewed).toHaveLength(1);
    const other = await makeBundle(THREE_MEMBERS, MADE);
    const otherCa = loadCertificateAuthority({ certificate: other.get('ca/ca.pem')!, key: other.get('ca/ca-key.pem')! });
    await expectPkiError(() => planRenewal({ bundle: external, select: { all: true }, ca: otherCa, now: LATER, crypto }), {
      code: 'INVALID_CLUSTER',
      message: 'another CA',
    });
  });

  it("refuses a key file that is not the certificate's key", async () => {
    const swapped = new Map(bundle);
    swapped.set('etcd1/etcd1-key.pem', bundle.get('etcd2/etcd2-key.pem')!);
    await expectPkiError(() => planRenewal({ bundle: swapped, select: { members: ['etcd1'] }, now: LATER, crypto }), {
      code: 'KEY_MISMATCH',
      file: 'etcd1/etcd1-key.pem',
      hint: '-rotate-key',
    });
  });
});
