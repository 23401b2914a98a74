import { beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate, initCA } from '../../src/signing/operations.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import { describeKeySpec, type KeySpec } from '../../src/keys/algorithms.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { fixture } from '../support/fixtures.js';
import { LEAF_EXTENSION_ORDER, ROOT_EXTENSION_ORDER, expectCertificate, expectVerifies, expectedWindow } from '../support/issued.js';

const HOUR = 3_600_000;
const policy = loadSigningPolicy(fixture('seed/ca-config.json'), { file: 'ca-config.json' });
const ROOT_SUBJECT = 'C = US, ST = San Francisco, L = CA, CN = ETCD Root CA';
const LEAF_SUBJECT = 'C = US, ST = San Francisco, L = CA, O = etcd, OU = peers, CN = etcd1';
const HOSTS = ['etcd1.example.com', '192.168.0.91', '::1', 'ops@example.com', 'spiffe://cluster.local/etcd1'];
// Go's order: DNS, email, IP, URI; openssl 3.0 prints IPv6 uncompressed.
const SANS = [
  'DNS:etcd1.example.com',
  'email:ops@example.com',
  'IP Address:192.168.0.91',
  'IP Address:0:0:0:0:0:0:0:1',
  'URI:spiffe://cluster.local/etcd1',
];

// Every key algorithm and size cfssl issues with; RSA 4096 once, since it is slow to generate.
const SPECS: KeySpec[] = [
  { algo: 'ecdsa', size: 256 },
  { algo: 'ecdsa', size: 384 },
  { algo: 'ecdsa', size: 521 },
  { algo: 'rsa', size: 2048 },
  { algo: 'rsa', size: 3072 },
  { algo: 'rsa', size: 4096 },
  { algo: 'ed25519' },
];

interface Issued {
  root: Awaited<ReturnType<typeof initCA>>;
  peer: Awaited<ReturnType<typeof generateCertificate>>;
}

const now = new Date();
const issued = new Map<string, Issued>();

beforeAll(async () => {
  // Generated concurrently: key generation runs on libuv's thread pool, one per core.
  await Promise.all(
    SPECS.map(async (spec) => {
      const root = await initCA({
        request: normaliseCertificateRequest({ CN: 'ETCD Root CA', key: spec, names: [{ C: 'US', L: 'CA', ST: 'San Francisco' }] }),
        now,
      });
      const peer = await generateCertificate({
        request: normaliseCertificateRequest({
          CN: 'etcd1',
          hosts: HOSTS,
          key: spec,
          names: [{ C: 'US', L: 'CA', ST: 'San Francisco', O: 'etcd', OU: 'peers' }],
        }),
        ca: root.authority,
        profile: resolveProfile(policy, 'peer'),
        now,
      });
      issued.set(describeKeySpec(spec), { root, peer });
    }),
  );
});

const cases = SPECS.map((spec) => ({ spec, key: describeKeySpec(spec) }));

describe.each(cases)('with $key keys', ({ spec, key }) => {
  it(`makes a ${key} root CA that openssl verifies, with cfssl's extensions, 5-year validity and signature algorithm`, async () => {
    const { root } = issued.get(key)!;
    await expectVerifies(root.cert, root.cert);
    await expectCertificate(root.cert, {
      issuerKey: spec,
      subjectKey: spec,
      subject: ROOT_SUBJECT,
      issuer: ROOT_SUBJECT,
      keyUsage: 'Certificate Sign, CRL Sign',
      basicConstraints: 'CA:TRUE',
      ...expectedWindow(now, 43800 * HOUR),
      extensionOrder: ROOT_EXTENSION_ORDER,
    });
  });

  it(`issues a ${key} peer certificate from a ${key} CA that openssl verifies for TLS server and client`, async () => {
    const { root, peer } = issued.get(key)!;
    await expectVerifies(root.cert, peer.cert, { purpose: 'sslserver' });
    await expectVerifies(root.cert, peer.cert, { purpose: 'sslclient' });
    await expectCertificate(peer.cert, {
      issuerKey: spec,
      subjectKey: spec,
      subject: LEAF_SUBJECT,
      issuer: ROOT_SUBJECT,
      keyUsage: 'Digital Signature, Key Encipherment',
      extKeyUsage: 'TLS Web Server Authentication, TLS Web Client Authentication',
      basicConstraints: 'CA:FALSE',
      sans: SANS,
      issuerCert: root.cert,
      ...expectedWindow(now, 8760 * HOUR),
      extensionOrder: LEAF_EXTENSION_ORDER,
    });
  });

  it(`returns the ${key} key that the certificate certifies, in cfssl's PEM format`, () => {
    const { peer } = issued.get(key)!;
    const pair = readPrivateKey(peer.key);
    expect(pair.spec).toEqual(spec);
    const label = spec.algo === 'ecdsa' ? 'EC PRIVATE KEY' : spec.algo === 'rsa' ? 'RSA PRIVATE KEY' : 'Ed25519 PRIVATE KEY';
    expect(peer.key.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true);
    const certKey = parseCertificate(peer.cert).subjectPublicKeyInfo;
    expect(Buffer.from(certKey).equals(pair.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });
});

describe('serial numbers of issued certificates', () => {
  it('differ between certificates', () => {
    const serials = [...issued.values()]
      .flatMap(({ root, peer }) => [root.cert, peer.cert])
      .map((pem) => Buffer.from(parseCertificate(pem).serial).toString('hex'));
    expect(new Set(serials).size).toBe(serials.length);
  });
});
