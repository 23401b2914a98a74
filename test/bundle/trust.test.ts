// Issue 17: which CA each port trusts, as planClusterBundle lays it out: separate by default, single
// kept for a bundle made before (or asked for), the migrating step between, and no jump from single
// straight to separate.
import { describe, expect, it } from 'vitest';
import { createPkiCrypto } from '../../src/crypto.js';
import { loadClusterDescription, normaliseClusterDescription } from '../../src/bundle/load.js';
import { planClusterBundle, type ClusterBundle } from '../../src/bundle/plan.js';
import type { PlannedFile } from '../../src/fileset.js';
import { parseCertificate, parseCertificateBundle, isSignedBy } from '../../src/x509/parse.js';
import { crlIssuedBy, parseCrl } from '../../src/x509/crl-read.js';
import { expectPkiError } from '../support/errors.js';
import { fixture } from '../support/fixtures.js';

const crypto = createPkiCrypto();
const NOW = new Date('2026-11-25T12:00:00Z');
const walkthrough = loadClusterDescription(fixture('cluster/walkthrough.json'));
const withTrust = (trust: 'single' | 'separate' | 'migrating' | undefined) =>
  normaliseClusterDescription({ ...walkthrough.json, ...(trust ? { trust } : {}) });

const asExisting = (files: readonly PlannedFile[]) =>
  new Map(files.map((f) => [f.path, typeof f.contents === 'string' ? new TextEncoder().encode(f.contents) : f.contents]));
const text = (bundle: ClusterBundle, path: string) => {
  const file = bundle.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the plan`);
  return typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8');
};
const has = (bundle: ClusterBundle, path: string) => bundle.files.some((f) => f.path === path);

describe('trust layouts', () => {
  it('separate (the default): a peer CA signs the peer certificates, the CA the server and client ones; each CA has its own CRL', async () => {
    const bundle = await planClusterBundle({ cluster: walkthrough, now: NOW, crypto });
    expect(bundle.trust).toBe('separate');
    const ca = parseCertificate(text(bundle, 'ca/ca.pem'));
    const peerCa = parseCertificate(text(bundle, 'ca/peer-ca.pem'));
    expect(Buffer.compare(ca.subject, peerCa.subject)).not.toBe(0);
    expect(await isSignedBy(parseCertificate(text(bundle, 'etcd1/etcd1-peer.pem')), peerCa)).toBe(true);
    expect(await isSignedBy(parseCertificate(text(bundle, 'etcd1/etcd1-peer.pem')), ca)).toBe(false);
    expect(await isSignedBy(parseCertificate(text(bundle, 'etcd1/etcd1.pem')), ca)).toBe(true);
    expect(await isSignedBy(parseCertificate(text(bundle, 'etcdctl/etcdctl.pem')), ca)).toBe(true);
    expect(await crlIssuedBy(parseCrl(text(bundle, 'ca/client-crl.pem')), ca)).toBe(true);
    expect(await crlIssuedBy(parseCrl(text(bundle, 'ca/peer-crl.pem')), peerCa)).toBe(true);
    expect(text(bundle, 'etcd2/etcd.conf')).toContain('ETCD_PEER_TRUSTED_CA_FILE="/etc/etcd/pki/peer-ca.pem"\n');
    expect(text(bundle, 'etcd2/etcd.conf')).toContain('ETCD_TRUSTED_CA_FILE="/etc/etcd/pki/ca.pem"\n');
    // Clients get the client CA only: they never talk to a peer port.
    expect(has(bundle, 'etcdctl/peer-ca.pem')).toBe(false);
    // Both CRLs go into the generation directory with the certificates, switched in before the
    // configuration naming them is put (install.sh as the live-cluster branch rewrote it).
    expect(text(bundle, 'etcd2/install.sh')).toMatch(
      /^files='[^'\n]*\bclient-crl\.pem\b[^'\n]*\bpeer-crl\.pem\b[^'\n]*'$[\s\S]*ln -s "\$gen" [\s\S]*put 'etcd\.conf'/m,
    );
    // A changed peer-ca.pem, like ca.pem, needs the member restarted: etcd reads both only at start.
    expect(text(bundle, 'etcd2/install.sh')).toContain('case "$f" in ca.pem|peer-ca.pem)');
  });

  it('single: one CA behind both ports, no peer CA, the same CRL on both (kubeadm-style, -single-ca)', async () => {
    const bundle = await planClusterBundle({ cluster: withTrust('single'), now: NOW, crypto });
    expect(bundle.trust).toBe('single');
    expect(has(bundle, 'ca/peer-ca.pem') || has(bundle, 'etcd1/peer-ca.pem')).toBe(false);
    expect(text(bundle, 'etcd1/peer-crl.pem')).toBe(text(bundle, 'etcd1/client-crl.pem'));
    expect(text(bundle, 'etcd1/etcd.conf')).toContain('ETCD_PEER_TRUSTED_CA_FILE="/etc/etcd/pki/ca.pem"\n');
    expect(await isSignedBy(parseCertificate(text(bundle, 'etcd1/etcd1-peer.pem')), parseCertificate(text(bundle, 'ca/ca.pem')))).toBe(
      true,
    );
  });

  it('keeps a bundle made single-CA (no ca/peer-ca.pem) single on a re-run that does not say, with every key and certificate', async () => {
    const first = await planClusterBundle({ cluster: withTrust('single'), now: NOW, crypto });
    const existing = asExisting(first.files);
    const again = await planClusterBundle({ cluster: withTrust(undefined), existing, now: NOW, crypto });
    expect(again.trust).toBe('single');
    expect(again.certificates.every((c) => c.status === 'kept')).toBe(true);
    expect(JSON.parse(text(again, 'manifest.json')).cluster.trust).toBe('single');
  });

  it('refuses separate straight over a single-CA bundle, and names the way through migrating', async () => {
    const first = await planClusterBundle({ cluster: withTrust('single'), now: NOW, crypto });
    await expectPkiError(() => planClusterBundle({ cluster: withTrust('separate'), existing: asExisting(first.files), now: NOW, crypto }), {
      code: 'INVALID_CLUSTER',
      file: 'ca/ca.pem',
      message: 'one CA for both ports',
      hint: ['-trust migrating', '-trust separate'],
    });
  });

  it('migrating, then separate: peers trust both CAs first with the old peer certificates kept, then the peer CA alone with new ones for the same keys', async () => {
    const single = await planClusterBundle({ cluster: withTrust('single'), now: NOW, crypto });
    const migrating = await planClusterBundle({ cluster: withTrust('migrating'), existing: asExisting(single.files), now: NOW, crypto });
    expect(migrating.certificates.every((c) => c.status === 'kept')).toBe(true);
    const both = parseCertificateBundle(text(migrating, 'etcd1/peer-ca.pem'));
    expect(both.map((c) => c.pem)).toEqual([text(single, 'ca/ca.pem'), text(migrating, 'ca/peer-ca.pem')]);
    expect(text(migrating, 'etcd1/etcd.conf')).toContain('ETCD_PEER_TRUSTED_CA_FILE="/etc/etcd/pki/peer-ca.pem"\n');

    const separate = await planClusterBundle({ cluster: withTrust('separate'), existing: asExisting(migrating.files), now: NOW, crypto });
    expect(separate.certificates.filter((c) => c.status !== 'kept').map((c) => [c.path, c.reason])).toEqual(
      ['etcd1', 'etcd2', 'etcd3'].map((m) => [`${m}/${m}-peer.pem`, 'its certificate was issued by another CA']),
    );
    expect(text(separate, 'etcd1/etcd1-peer-key.pem')).toBe(text(single, 'etcd1/etcd1-peer-key.pem'));
    expect(text(separate, 'etcd1/peer-ca.pem')).toBe(text(migrating, 'ca/peer-ca.pem'));
    expect(text(separate, 'ca/peer-ca.pem')).toBe(text(migrating, 'ca/peer-ca.pem'));
    expect(text(separate, 'etcd1/etcd1.pem')).toBe(text(single, 'etcd1/etcd1.pem'));
    expect(text(separate, 'etcdctl/etcdctl.pem')).toBe(text(single, 'etcdctl/etcdctl.pem'));
  });
});
