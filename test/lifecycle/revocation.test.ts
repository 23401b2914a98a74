// Issue 17: planRevocation and planRemoveMember over a bundle in memory (the CLI's hostile cases,
// with the tree compared byte for byte, are in test/e2e/hostile-revocation.test.ts), and renew
// with a peer CA.
import { beforeAll, describe, expect, it } from 'vitest';
import { planRemoveMember } from '../../src/bundle/remove-member.js';
import { planRevocation } from '../../src/lifecycle/revocation.js';
import { planRenewal } from '../../src/lifecycle/renew.js';
import { crlIssuedBy, crlRevokes, parseCrl } from '../../src/x509/crl-read.js';
import { isSignedBy, parseCertificate } from '../../src/x509/parse.js';
import { expectPkiError } from '../support/errors.js';
import { THREE_MEMBERS, apply, crypto, makeBundle } from './bundle.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const SEPARATE = { ...THREE_MEMBERS, trust: 'separate' as const };
const text = (bundle: ReadonlyMap<string, Uint8Array>, path: string) => Buffer.from(bundle.get(path)!).toString('utf8');

describe('planRevocation', () => {
  let bundle: Map<string, Uint8Array>;
  beforeAll(async () => {
    bundle = await makeBundle(SEPARATE);
  });

  it('puts a client certificate on the client CRL, signed by the CA, and gives the client a new key and certificate', async () => {
    const old = parseCertificate(text(bundle, 'etcdctl/etcdctl.pem'));
    const plan = await planRevocation({ bundle, clients: ['etcdctl'], reason: 'keyCompromise', now: NOW, crypto });
    const after = apply(bundle, plan.bundle);
    const crl = parseCrl(text(after, 'ca/client-crl.pem'));
    expect(crlRevokes(crl, old.serial)).toBe(true);
    expect(crl.revoked[0]!.reason).toBe('keyCompromise');
    expect(crl.crlNumber).toBe(2n);
    expect(await crlIssuedBy(crl, parseCertificate(text(after, 'ca/ca.pem')))).toBe(true);
    for (const member of ['etcd1', 'etcd2', 'etcd3'])
      expect(text(after, `${member}/client-crl.pem`)).toBe(text(after, 'ca/client-crl.pem'));
    // The peer CRL is untouched: a client certificate is no peer's.
    expect(text(after, 'ca/peer-crl.pem')).toBe(text(bundle, 'ca/peer-crl.pem'));
    expect(text(after, 'etcdctl/etcdctl-key.pem')).not.toBe(text(bundle, 'etcdctl/etcdctl-key.pem'));
    const renewed = parseCertificate(text(after, 'etcdctl/etcdctl.pem'));
    expect(crlRevokes(crl, renewed.serial)).toBe(false);
    expect(text(after, 'kube-apiserver/kube-apiserver.pem')).toBe(text(bundle, 'kube-apiserver/kube-apiserver.pem'));
    expect(plan.steps.findIndex((s) => s.kind === 'copy' && s.owner === 'etcdctl')).toBe(0);
    expect(plan.steps.at(-1)).toMatchObject({ kind: 'no-restart' });
  });

  it("puts a member's server certificate on the client CRL and its peer certificate on the peer CRL", async () => {
    const plan = await planRevocation({ bundle, members: ['etcd2'], now: NOW, crypto });
    const after = apply(bundle, plan.bundle);
    expect(crlRevokes(parseCrl(text(after, 'ca/client-crl.pem')), parseCertificate(text(bundle, 'etcd2/etcd2.pem')).serial)).toBe(true);
    const peerCrl = parseCrl(text(after, 'ca/peer-crl.pem'));
    expect(crlRevokes(peerCrl, parseCertificate(text(bundle, 'etcd2/etcd2-peer.pem')).serial)).toBe(true);
    expect(await crlIssuedBy(peerCrl, parseCertificate(text(after, 'ca/peer-ca.pem')))).toBe(true);
    expect(await isSignedBy(parseCertificate(text(after, 'etcd2/etcd2-peer.pem')), parseCertificate(text(after, 'ca/peer-ca.pem')))).toBe(
      true,
    );
  });

  it('-refresh signs both CRLs again with a new nextUpdate and the same entries', async () => {
    const revoked = apply(bundle, (await planRevocation({ bundle, clients: ['etcdctl'], now: NOW, crypto })).bundle);
    const later = new Date(NOW.getTime() + 100 * 86_400_000);
    const refreshed = apply(revoked, (await planRevocation({ bundle: revoked, refresh: true, now: later, crypto })).bundle);
    const crl = parseCrl(text(refreshed, 'ca/client-crl.pem'));
    expect(crl.thisUpdate).toEqual(later);
    expect(crl.revoked.map((e) => Buffer.from(e.serial).toString('hex'))).toEqual(
      parseCrl(text(revoked, 'ca/client-crl.pem')).revoked.map((e) => Buffer.from(e.serial).toString('hex')),
    );
  });

  it.each([
    {
      name: 'an unknown client, with a suggestion',
      options: { clients: ['etcdctI'] },
      code: 'USAGE',
      words: ['no client "etcdctI"'],
      hint: 'did you mean "etcdctl"?',
    },
    { name: 'an unknown member', options: { members: ['etcd9'] }, code: 'USAGE', words: ['no member "etcd9"'], hint: 'etcd1' },
    {
      name: 'the same client twice',
      options: { clients: ['etcdctl', 'etcdctl'] },
      code: 'USAGE',
      words: ['-client etcdctl is given twice'],
      hint: 'once',
    },
    { name: 'nothing at all', options: {}, code: 'USAGE', words: ['nothing to revoke'], hint: '-refresh' },
  ] as const)('refuses $name', async ({ options, code, words, hint }) => {
    await expectPkiError(() => planRevocation({ bundle, ...options, now: NOW, crypto }), { code, message: [...words], hint });
  });

  it('refuses a certificate already on the CRL (revoking twice)', async () => {
    const revoked = apply(bundle, (await planRevocation({ bundle, clients: ['etcdctl'], now: NOW, crypto })).bundle);
    // The bundle's certificate put back to the revoked one: a restore from an old backup.
    const restored = new Map(revoked);
    restored.set('etcdctl/etcdctl.pem', bundle.get('etcdctl/etcdctl.pem')!);
    await expectPkiError(() => planRevocation({ bundle: restored, clients: ['etcdctl'], now: NOW, crypto }), {
      code: 'INVALID_CLUSTER',
      message: ['client etcdctl', 'already revoked in ca/client-crl.pem'],
      hint: 'nothing to do',
    });
  });

  it("refuses a bundle whose CRL is another CA's garbage (its revocations would be lost)", async () => {
    const broken = new Map(bundle);
    broken.set('ca/client-crl.pem', new TextEncoder().encode('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n'));
    await expectPkiError(() => planRevocation({ bundle: broken, clients: ['etcdctl'], now: NOW, crypto }), {
      code: 'INVALID_CRL',
      file: 'ca/client-crl.pem',
    });
  });
});

describe('planRemoveMember', () => {
  it('revokes both certificates, and the rest no longer names the member', async () => {
    const bundle = await makeBundle(SEPARATE);
    const result = await planRemoveMember({ bundle, member: 'etcd3', now: NOW, crypto });
    const after = apply(bundle, result);
    expect(result.removedDirectory).toBe('etcd3');
    expect(result.revoked.map((r) => r.what)).toEqual(['server etcd3', 'peer etcd3']);
    expect(crlRevokes(parseCrl(text(after, 'ca/peer-crl.pem')), parseCertificate(text(bundle, 'etcd3/etcd3-peer.pem')).serial)).toBe(true);
    expect(text(after, 'etcdctl/etcdctl.env')).not.toContain('127.0.0.33');
    expect(text(after, 'etcd1/etcd.conf')).not.toContain('etcd3');
    expect(JSON.parse(text(after, 'manifest.json')).files.some((f: { owner: string }) => f.owner === 'etcd3')).toBe(false);
    expect(result.files.some((f) => f.path.startsWith('etcd3/'))).toBe(false);
  });

  it.each([
    { name: 'an unknown member', member: 'etcd5', message: 'no member "etcd5"' },
    { name: 'a client given as the member', member: 'etcdctl', message: 'no member "etcdctl"' },
  ])('refuses $name', async ({ member, message }) => {
    const bundle = await makeBundle(SEPARATE);
    await expectPkiError(() => planRemoveMember({ bundle, member, now: NOW, crypto }), { code: 'USAGE', message });
  });

  it('refuses the only member', async () => {
    const bundle = await makeBundle({ members: [{ name: 'solo', hosts: ['127.0.0.31'] }] });
    await expectPkiError(() => planRemoveMember({ bundle, member: 'solo', now: NOW, crypto }), {
      code: 'USAGE',
      message: "the bundle's only member",
    });
  });
});

describe('planRenewal with a peer CA', () => {
  it("renews a peer certificate from the peer CA and the server certificate from the bundle's CA", async () => {
    const bundle = await makeBundle(SEPARATE);
    const plan = await planRenewal({ bundle, select: { members: ['etcd1'] }, now: NOW, crypto });
    const after = apply(bundle, plan);
    expect(await isSignedBy(parseCertificate(text(after, 'etcd1/etcd1-peer.pem')), parseCertificate(text(after, 'ca/peer-ca.pem')))).toBe(
      true,
    );
    expect(await isSignedBy(parseCertificate(text(after, 'etcd1/etcd1.pem')), parseCertificate(text(after, 'ca/ca.pem')))).toBe(true);
    expect(plan.warnings).toEqual([]);
  });
});

describe('check-expiration lists the CRLs by nextUpdate', () => {
  it('one row per distinct CRL, with its files; an expired CRL counts as expired', async () => {
    const { expirationReport, bundleCrlInputs } = await import('../../src/lifecycle/expiration.js');
    const { readBundleInventory } = await import('../../src/lifecycle/inventory.js');
    const bundle = await makeBundle(SEPARATE);
    const inventory = readBundleInventory(bundle);
    const crls = bundleCrlInputs(inventory, parseCrl);
    const fresh = expirationReport({ certificates: [], crls, now: NOW, threshold: 30 * 86_400_000 });
    expect(fresh.crls.map((c) => [c.issuer.replace(/^.*CN=/, ''), c.revoked, c.locations.length, c.status])).toEqual([
      ['ETCD Root CA', 0, 4, 'ok'],
      ['ETCD Root CA (peers)', 0, 4, 'ok'],
    ]);
    const late = expirationReport({
      certificates: [],
      crls,
      now: new Date(fresh.crls[0]!.nextUpdate!.getTime() + 1000),
      threshold: 30 * 86_400_000,
    });
    expect(late.expired).toBe(2);
    const { formatExpirationTable } = await import('../../src/lifecycle/expiration-table.js');
    expect(formatExpirationTable(late)).toMatch(/EXPIRED\s+crl\s+\*\s+0 revoked/);
  });
});
