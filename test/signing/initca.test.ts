import { describe, expect, it } from 'vitest';
import { initCA } from '../../src/signing/operations.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { extension, reqText, sanEntries, x509Text } from '../support/openssl.js';
import { ROOT_EXTENSION_ORDER, expectCertificate, expectVerifies, expectedWindow } from '../support/issued.js';

const HOUR = 3_600_000;
const KEY = { algo: 'ecdsa', size: 256 } as const;
const SUBJECT = 'C = US, ST = San Francisco, L = CA, CN = ETCD Root CA';
const rootRequest = (extra: object = {}) =>
  normaliseCertificateRequest({ CN: 'ETCD Root CA', key: KEY, names: [{ C: 'US', L: 'CA', ST: 'San Francisco' }], ...extra });

describe('initCA', () => {
  it("makes cfssl's root: self-signed, 43800h, certSign + cRLSign, CA:TRUE, SKI and no AKI", async () => {
    const now = new Date();
    const root = await initCA({ request: rootRequest(), now });
    await expectVerifies(root.cert, root.cert);
    await expectCertificate(root.cert, {
      issuerKey: KEY,
      subjectKey: KEY,
      subject: SUBJECT,
      issuer: SUBJECT,
      keyUsage: 'Certificate Sign, CRL Sign',
      basicConstraints: 'CA:TRUE',
      ...expectedWindow(now, 43800 * HOUR),
      extensionOrder: ROOT_EXTENSION_ORDER,
    });
    expect(root.key!.startsWith('-----BEGIN EC PRIVATE KEY-----\n')).toBe(true);
    expect(root.csr.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n')).toBe(true);
    expect(root.authority.certificate.isCA).toBe(true);
  });

  const options = [
    {
      name: "lasts ca.expiry '87600h' instead of five years",
      ca: { expiry: '87600h' },
      bc: 'CA:TRUE',
      expiry: 87600 * HOUR,
      backdate: 5 * 60_000,
    },
    { name: 'writes ca.pathlen 1 as pathlen:1', ca: { pathlen: 1 }, bc: 'CA:TRUE, pathlen:1', expiry: 43800 * HOUR, backdate: 5 * 60_000 },
    {
      name: 'writes ca.pathlenzero as pathlen:0',
      ca: { pathlen: 0, pathlenzero: true },
      bc: 'CA:TRUE, pathlen:0',
      expiry: 43800 * HOUR,
      backdate: 5 * 60_000,
    },
    {
      name: 'writes ca.pathlen 0 without pathlenzero as no constraint, as cfssl does',
      ca: { pathlen: 0 },
      bc: 'CA:TRUE',
      expiry: 43800 * HOUR,
      backdate: 5 * 60_000,
    },
    { name: "backdates by ca.backdate '1h'", ca: { backdate: '1h' }, bc: 'CA:TRUE', expiry: 43800 * HOUR, backdate: HOUR },
  ];
  it.each(options)('$name', async ({ ca, bc, expiry, backdate }) => {
    const now = new Date();
    const root = await initCA({ request: rootRequest({ ca }), now });
    const text = await x509Text(root.cert);
    expect(extension(text, 'Basic Constraints')).toEqual({ name: 'X509v3 Basic Constraints', critical: true, value: bc });
    const window = expectedWindow(now, expiry, backdate);
    expect([text.notBefore.toISOString(), text.notAfter.toISOString()]).toEqual([
      window.notBefore.toISOString(),
      window.notAfter.toISOString(),
    ]);
    await expectVerifies(root.cert, root.cert);
  });

  it("keeps only the IP addresses of the request's hosts in the CA certificate, as cfssl 1.6.5 does (issue 15)", async () => {
    const root = await initCA({
      request: rootRequest({ hosts: ['ca.example.com', '192.168.0.1', 'ca@example.com'], ca: { expiry: '8760h' } }),
    });
    expect(sanEntries(await x509Text(root.cert))).toEqual(['IP Address:192.168.0.1']);
    // The request asks for all of them and, having a "ca" section, for CA:TRUE.
    const csr = await reqText(root.csr);
    expect(sanEntries(csr)).toEqual(['DNS:ca.example.com', 'email:ca@example.com', 'IP Address:192.168.0.1']);
    expect(extension(csr, 'Basic Constraints')).toEqual({ name: 'X509v3 Basic Constraints', critical: true, value: 'CA:TRUE' });
  });

  it('certifies a given key and returns no key (gencert -initca -ca-key)', async () => {
    const key = await generateKeyPair({ algo: 'ecdsa', size: 384 });
    const root = await initCA({ request: rootRequest(), key });
    expect('key' in root).toBe(false);
    expect(
      Buffer.from(parseCertificate(root.cert).subjectPublicKeyInfo).equals(key.publicKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true);
    expect((await x509Text(root.cert)).signatureAlgorithm).toBe('ecdsa-with-SHA384');
  });

  it('writes the new key as PKCS#8 when asked', async () => {
    const root = await initCA({ request: rootRequest(), keyFormat: 'pkcs8' });
    expect(root.key!.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
  });
});
