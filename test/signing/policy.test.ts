import { beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate, initCA } from '../../src/signing/operations.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import { USAGE_NAMES } from '../../src/profiles/usages.js';
import type { CertificateAuthority } from '../../src/signing/authority.js';
import { extension, sanEntries, x509Text } from '../support/openssl.js';
import { expectDoesNotVerify, expectVerifies, expectedWindow } from '../support/issued.js';
import { expectPkiError } from '../support/errors.js';

const HOUR = 3_600_000;
const KEY = { algo: 'ecdsa', size: 256 } as const;
const profile = (json: object, name = 'p') =>
  resolveProfile(loadSigningPolicy(JSON.stringify({ signing: { profiles: { [name]: json } } }), { file: 'ca-config.json' }), name);
const request = (json: object) => normaliseCertificateRequest({ key: KEY, ...json });

let root: Awaited<ReturnType<typeof initCA>>;
let ca: CertificateAuthority;
beforeAll(async () => {
  root = await initCA({ request: request({ CN: 'Policy Test Root', ca: { pathlen: 2 } }) });
  ca = root.authority;
});

describe('usages', () => {
  it('writes all 23 cfssl usage names as the key usage bits and EKUs openssl names, EKUs in profile order', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'all usages' }),
      ca,
      profile: profile({ usages: USAGE_NAMES, expiry: '1h' }),
    });
    const text = await x509Text(cert);
    expect(extension(text, 'Key Usage')).toEqual({
      name: 'X509v3 Key Usage',
      critical: true,
      value:
        'Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment, Key Agreement, Certificate Sign, CRL Sign, Encipher Only, Decipher Only',
    });
    expect(extension(text, 'Extended Key Usage')).toEqual({
      name: 'X509v3 Extended Key Usage',
      critical: false,
      value:
        // "email protection" and "s/mime" are one OID, written twice as cfssl 1.6.5 writes it.
        'Any Extended Key Usage, TLS Web Server Authentication, TLS Web Client Authentication, Code Signing, E-mail Protection, E-mail Protection, ' +
        'IPSec End System, IPSec Tunnel, IPSec User, Time Stamping, OCSP Signing, Microsoft Server Gated Crypto, Netscape Server Gated Crypto',
    });
    // A leaf stays a leaf, whatever its key usage says.
    expect(extension(text, 'Basic Constraints')?.value).toBe('CA:FALSE');
  });

  it('writes client auth before server auth when the profile lists them so', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'c' }),
      ca,
      profile: profile({ usages: ['client auth', 'server auth', 'signing'] }),
    });
    expect(extension(await x509Text(cert), 'Extended Key Usage')?.value).toBe(
      'TLS Web Client Authentication, TLS Web Server Authentication',
    );
  });

  it('writes no EKU extension for a profile with key usages only', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'c' }),
      ca,
      profile: profile({ usages: ['signing', 'key encipherment'] }),
    });
    const text = await x509Text(cert);
    expect(extension(text, 'Extended Key Usage')).toBeUndefined();
    expect(extension(text, 'Key Usage')?.value).toBe('Digital Signature, Key Encipherment');
  });

  it('is refused by openssl for TLS server use when the profile has client auth only', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'etcdctl' }),
      ca,
      profile: profile({ usages: ['signing', 'key encipherment', 'client auth'] }),
    });
    await expectVerifies(root.cert, cert, { purpose: 'sslclient' });
    await expectDoesNotVerify(root.cert, cert, 'unsuitable certificate purpose', { purpose: 'sslserver' });
  });
});

describe('CA profiles (ca_constraint)', () => {
  it('issues an intermediate with pathlen 1 whose leaves openssl verifies through it', async () => {
    const intermediate = await generateCertificate({
      request: request({ CN: 'Intermediate', names: [{ O: 'etcd' }] }),
      ca,
      profile: profile({ usages: ['cert sign', 'crl sign'], expiry: '8760h', ca_constraint: { is_ca: true, max_path_len: 1 } }),
    });
    const text = await x509Text(intermediate.cert);
    expect(extension(text, 'Basic Constraints')).toEqual({ name: 'X509v3 Basic Constraints', critical: true, value: 'CA:TRUE, pathlen:1' });
    const { loadCertificateAuthority } = await import('../../src/signing/authority.js');
    const sub = loadCertificateAuthority({ certificate: intermediate.cert, key: intermediate.key });
    const leaf = await generateCertificate({
      request: request({ CN: 'etcd1', hosts: ['192.168.0.91'] }),
      ca: sub,
      profile: profile({ usages: ['signing', 'server auth'] }),
    });
    await expectVerifies(root.cert, leaf.cert, { untrusted: intermediate.cert, purpose: 'sslserver' });
    expect((await x509Text(leaf.cert)).issuer).toBe('O = etcd, CN = Intermediate');
  });

  it('writes pathlen:0 for max_path_len_zero, and openssl then refuses a CA below it', async () => {
    const caProfile = profile({ usages: ['cert sign', 'crl sign'], ca_constraint: { is_ca: true, max_path_len_zero: true } });
    const first = await generateCertificate({ request: request({ CN: 'Zero' }), ca, profile: caProfile });
    expect(extension(await x509Text(first.cert), 'Basic Constraints')?.value).toBe('CA:TRUE, pathlen:0');
    const { loadCertificateAuthority } = await import('../../src/signing/authority.js');
    const zero = loadCertificateAuthority({ certificate: first.cert, key: first.key });
    const second = await generateCertificate({ request: request({ CN: 'Too deep' }), ca: zero, profile: caProfile });
    const third = loadCertificateAuthority({ certificate: second.cert, key: second.key });
    const leaf = await generateCertificate({ request: request({ CN: 'leaf' }), ca: third, profile: profile({ usages: ['signing'] }) });
    await expectDoesNotVerify(root.cert, leaf.cert, 'path length constraint exceeded', { untrusted: first.cert + second.cert });
  });

  it('writes CA:TRUE without pathlen for is_ca alone', async () => {
    const sub = await generateCertificate({
      request: request({ CN: 'Unbounded' }),
      ca,
      profile: profile({ usages: ['cert sign'], ca_constraint: { is_ca: true } }),
    });
    expect(extension(await x509Text(sub.cert), 'Basic Constraints')?.value).toBe('CA:TRUE');
  });
});

describe('validity', () => {
  it("backdates by the profile's backdate instead of 5 minutes", async () => {
    const now = new Date();
    const { cert } = await generateCertificate({
      request: request({ CN: 'b' }),
      ca,
      profile: profile({ usages: ['signing'], expiry: '1h30m', backdate: '1h' }),
      now,
    });
    const text = await x509Text(cert);
    const expected = expectedWindow(now, 90 * 60_000, HOUR);
    expect([text.notBefore.toISOString(), text.notAfter.toISOString()]).toEqual([
      expected.notBefore.toISOString(),
      expected.notAfter.toISOString(),
    ]);
  });

  it("rounds the issuance time to the nearest minute, as Go's time.Round: 10:20:29.999 -> 10:20, 10:20:30 -> 10:21", async () => {
    const p = profile({ usages: ['signing'], expiry: '24h' });
    const early = await generateCertificate({ request: request({ CN: 'r' }), ca, profile: p, now: new Date('2026-03-01T10:20:29.999Z') });
    const late = await generateCertificate({ request: request({ CN: 'r' }), ca, profile: p, now: new Date('2026-03-01T10:20:30.000Z') });
    expect((await x509Text(early.cert)).notBefore.toISOString()).toBe('2026-03-01T10:15:00.000Z');
    expect((await x509Text(late.cert)).notBefore.toISOString()).toBe('2026-03-01T10:16:00.000Z');
    expect((await x509Text(late.cert)).notAfter.toISOString()).toBe('2026-03-02T10:16:00.000Z');
  });

  it('uses not_before and not_after as written, and openssl agrees inside that window only', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'fixed' }),
      ca,
      profile: profile({ usages: ['signing'], not_before: '2027-01-01T00:00:00Z', not_after: '2027-02-01T00:00:00Z' }),
    });
    const text = await x509Text(cert);
    expect([text.notBefore.toISOString(), text.notAfter.toISOString()]).toEqual(['2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z']);
    await expectVerifies(root.cert, cert, { atTime: Date.parse('2027-01-15T00:00:00Z') / 1000 });
    await expectDoesNotVerify(root.cert, cert, 'certificate has expired', { atTime: Date.parse('2027-03-01T00:00:00Z') / 1000 });
  });

  it('writes dates from 2050 on as GeneralizedTime (RFC 5280 4.1.2.5)', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'far' }),
      ca,
      profile: profile({ usages: ['signing'], not_before: '2049-12-31T00:00:00Z', not_after: '2050-01-02T00:00:00Z' }),
    });
    const { runOk } = await import('../support/run.js');
    const asn1 = await runOk('openssl', ['asn1parse'], { input: cert });
    expect(asn1).toMatch(/UTCTIME\s+:491231000000Z/);
    expect(asn1).toMatch(/GENERALIZEDTIME\s+:20500102000000Z/);
  });
});

describe('distribution extensions', () => {
  it("writes ocsp_url and issuer_urls as AIA and crl_url as a CRL distribution point, in Go's order", async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'etcd1', hosts: ['192.168.0.91'] }),
      ca,
      profile: profile({
        usages: ['signing', 'server auth'],
        ocsp_url: 'http://pki.example/ocsp',
        issuer_urls: ['http://pki.example/ca.pem', 'http://pki.example/ca.der'],
        crl_url: 'http://pki.example/crl.der',
      }),
    });
    const text = await x509Text(cert);
    expect(text.extensions.map((e) => e.name)).toEqual([
      'X509v3 Key Usage',
      'X509v3 Extended Key Usage',
      'X509v3 Basic Constraints',
      'X509v3 Subject Key Identifier',
      'X509v3 Authority Key Identifier',
      'Authority Information Access',
      'X509v3 Subject Alternative Name',
      'X509v3 CRL Distribution Points',
    ]);
    expect(extension(text, 'Authority Information Access')).toEqual({
      name: 'Authority Information Access',
      critical: false,
      value: 'OCSP - URI:http://pki.example/ocsp\nCA Issuers - URI:http://pki.example/ca.pem\nCA Issuers - URI:http://pki.example/ca.der',
    });
    expect(extension(text, 'CRL Distribution Points')).toEqual({
      name: 'X509v3 CRL Distribution Points',
      critical: false,
      value: 'Full Name:\nURI:http://pki.example/crl.der',
    });
  });
});

describe('subject alternative names', () => {
  it('does not copy the CN into the SANs', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'etcd1.example.com' }),
      ca,
      profile: profile({ usages: ['signing'] }),
    });
    expect(extension(await x509Text(cert), 'Subject Alternative Name')).toBeUndefined();
  });

  it('marks the SANs critical when the subject is empty (RFC 5280 4.2.1.6)', async () => {
    const { cert } = await generateCertificate({
      request: request({ hosts: ['etcd1.example.com'] }),
      ca,
      profile: profile({ usages: ['signing'] }),
    });
    const text = await x509Text(cert);
    expect(text.subject).toBe('');
    expect(extension(text, 'Subject Alternative Name')?.critical).toBe(true);
    expect(sanEntries(text)).toEqual(['DNS:etcd1.example.com']);
    await expectVerifies(root.cert, cert);
  });
});

describe('name_whitelist', () => {
  const whitelisted = profile(
    { usages: ['signing', 'server auth'], name_whitelist: '^(etcd[0-9]+(\\.example\\.com)?|192\\.168\\.0\\.9[0-9])$' },
    'server',
  );

  it('issues with an IP SAN outside the whitelist: cfssl checks CN, DNS, email and URI only (issue 15)', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'etcd1', hosts: ['etcd1.example.com', '10.0.0.1'] }),
      ca,
      profile: whitelisted,
    });
    expect(sanEntries(await x509Text(cert))).toEqual(['DNS:etcd1.example.com', 'IP Address:10.0.0.1']);
  });

  it("reads Go's RE2 syntax: (?i), \\z and named groups", async () => {
    const go = profile({ usages: ['server auth'], name_whitelist: '(?i)^(?P<host>etcd[0-9]+)\\.EXAMPLE\\.com\\z' }, 'server');
    const { cert } = await generateCertificate({
      request: request({ CN: 'etcd1.example.com', hosts: ['ETCD2.example.com'] }),
      ca,
      profile: go,
    });
    await expectVerifies(root.cert, cert);
  });

  it('issues when the CN and every SAN match', async () => {
    const { cert } = await generateCertificate({
      request: request({ CN: 'etcd1', hosts: ['etcd1.example.com', '192.168.0.91'] }),
      ca,
      profile: whitelisted,
    });
    await expectVerifies(root.cert, cert);
  });

  it.each([
    { name: 'refuses a DNS SAN outside the whitelist', json: { CN: 'etcd1', hosts: ['evil.example.org'] }, miss: 'evil.example.org' },
    {
      name: 'refuses an email SAN outside the whitelist',
      json: { CN: 'etcd1', hosts: ['ops@evil.example.org'] },
      miss: 'ops@evil.example.org',
    },
    { name: 'refuses a CN outside the whitelist', json: { CN: 'ETCD Cluster-1', hosts: ['etcd1'] }, miss: 'ETCD Cluster-1' },
  ])('$name', async ({ json, miss }) => {
    await expectPkiError(() => generateCertificate({ request: request(json), ca, profile: whitelisted }), {
      code: 'POLICY_VIOLATION',
      file: 'ca-config.json',
      path: '/signing/profiles/server/name_whitelist',
      message: JSON.stringify(miss),
      hint: 'names must match',
    });
  });
});
