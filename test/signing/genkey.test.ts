import { beforeAll, describe, expect, it } from 'vitest';
import { createRequest, generateKey } from '../../src/signing/operations.js';
import { normaliseCertificateRequest, loadCertificateRequest } from '../../src/csr/load.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { describeKeySpec, type KeySpec } from '../../src/keys/algorithms.js';
import { parseCertificationRequest, verifyCertificationRequest } from '../../src/x509/request.js';
import { requestInfo } from '../../src/x509/certinfo.js';
import { fixture } from '../support/fixtures.js';
import { extension, reqText, sanEntries } from '../support/openssl.js';
import { opensslPublicKey, opensslSignatureName } from '../support/issued.js';
import { run, runOk } from '../support/run.js';

const SPECS: KeySpec[] = [
  { algo: 'ecdsa', size: 256 },
  { algo: 'ecdsa', size: 384 },
  { algo: 'ecdsa', size: 521 },
  { algo: 'rsa', size: 2048 },
  { algo: 'ed25519' },
];
const HOSTS = ['etcd1.example.com', 'ops@example.com', '192.168.0.91', 'spiffe://cluster.local/etcd1'];

const made = new Map<string, Awaited<ReturnType<typeof generateKey>>>();
beforeAll(async () => {
  await Promise.all(
    SPECS.map(async (key) => {
      const request = normaliseCertificateRequest({
        CN: 'etcd1',
        hosts: HOSTS,
        key,
        names: [{ C: 'US', ST: 'San Francisco', L: 'CA', O: 'etcd' }],
      });
      made.set(describeKeySpec(key), await generateKey({ request }));
    }),
  );
});

describe.each(SPECS.map((spec) => ({ spec, name: describeKeySpec(spec) })))('generateKey with $name (cfssl genkey)', ({ spec, name }) => {
  it(`writes a ${name} request that openssl verifies, with the subject in cfssl's order and the SANs requested`, async () => {
    const { csr, key } = made.get(name)!;
    const verify = await run('openssl', ['req', '-noout', '-verify'], { input: csr });
    expect(verify.code).toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/verify OK|Certificate request self-signature verify OK/);
    const text = await reqText(csr);
    expect(text.version).toBe(1);
    expect(text.subject).toBe('C = US, ST = San Francisco, L = CA, O = etcd, CN = etcd1');
    expect(text.signatureAlgorithm).toBe(opensslSignatureName(spec));
    expect(text.publicKey).toEqual(opensslPublicKey(spec));
    expect(text.extensions.map((e) => e.name)).toEqual(['X509v3 Subject Alternative Name']);
    expect(extension(text, 'Subject Alternative Name')?.critical).toBe(false);
    expect(sanEntries(text)).toEqual([
      'DNS:etcd1.example.com',
      'email:ops@example.com',
      'IP Address:192.168.0.91',
      'URI:spiffe://cluster.local/etcd1',
    ]);
    // The request is for the key returned with it.
    // openssl knows no "Ed25519 PRIVATE KEY" label (cfssl 1.6's); the DER under it is PKCS#8.
    const forOpenssl = key.replaceAll('Ed25519 PRIVATE KEY', 'PRIVATE KEY');
    expect(await runOk('openssl', ['req', '-noout', '-pubkey'], { input: csr })).toBe(
      await runOk('openssl', ['pkey', '-pubout'], { input: forOpenssl }),
    );
    expect(readPrivateKey(key).spec).toEqual(spec);
  });
});

describe('createRequest (cfssl gencsr -key)', () => {
  it("makes a request for cfssl's root key that verifies and names the walkthrough's subject", async () => {
    const key = readPrivateKey(fixture('cfssl/rootca-key.pem'));
    const { csr } = await createRequest({ request: loadCertificateRequest(fixture('seed/rootca-csr.json')), key });
    const parsed = parseCertificationRequest(csr);
    await verifyCertificationRequest(parsed);
    expect(Buffer.from(parsed.subjectPublicKeyInfo).equals(key.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    // No hosts: no extensionRequest attribute at all, as cfssl writes it.
    expect((await reqText(csr)).text).toContain('Attributes:\n            (none)');
  });

  it('describes a request as certinfo -csr does: subject, DNS and IP SANs, sigalg, pem', () => {
    const info = requestInfo(parseCertificationRequest(fixture('cfssl/mixed-hosts.csr')));
    expect(info).toEqual({
      subject: {
        common_name: 'etcd1',
        country: 'DE',
        organization: 'Example & Co',
        organizational_unit: 'Infra',
        locality: 'Berlin',
        province: 'Berlin',
        names: ['DE', 'Berlin', 'Berlin', 'Example & Co', 'Infra', 'etcd1'],
      },
      sans: ['etcd1.example.com', 'localhost', '127.0.0.1', '::1', '192.168.0.91'],
      sigalg: 'ECDSAWithSHA384',
      pem: fixture('cfssl/mixed-hosts.csr'),
    });
  });
});
