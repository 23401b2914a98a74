import { beforeAll, describe, expect, it } from 'vitest';
import { initCA, signRequest } from '../../src/signing/operations.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { decodePemBlocks, encodePem } from '../../src/pem/pem.js';
import { fixture, fixturePath } from '../support/fixtures.js';
import { extension, sanEntries, x509Text } from '../support/openssl.js';
import { expectCertificate, expectVerifies, expectedWindow } from '../support/issued.js';
import { expectPkiError } from '../support/errors.js';
import { runOk } from '../support/run.js';

const HOUR = 3_600_000;
const KEY = { algo: 'ecdsa', size: 256 } as const;
const policy = loadSigningPolicy(fixture('seed/ca-config.json'), { file: 'ca-config.json' });
const caPolicy = loadSigningPolicy(
  JSON.stringify({
    signing: { profiles: { intermediate: { usages: ['cert sign', 'crl sign'], expiry: '43800h', ca_constraint: { is_ca: true } } } },
  }),
);

let root: Awaited<ReturnType<typeof initCA>>;
beforeAll(async () => {
  root = await initCA({ request: normaliseCertificateRequest({ CN: 'Sign Test Root', key: KEY }) });
});

describe('signRequest', () => {
  it("signs openssl's request with its subject, key and SANs (cfssl sign)", async () => {
    const now = new Date();
    const { cert, csr } = await signRequest({
      csr: fixture('openssl/request.csr'),
      ca: root.authority,
      profile: resolveProfile(policy, 'server'),
      now,
    });
    expect(csr).toBe(fixture('openssl/request.csr'));
    await expectVerifies(root.cert, cert, { purpose: 'sslserver' });
    await expectCertificate(cert, {
      issuerKey: KEY,
      subjectKey: KEY,
      subject: 'C = US, O = openssl, CN = openssl request',
      issuer: 'CN = Sign Test Root',
      keyUsage: 'Digital Signature, Key Encipherment',
      extKeyUsage: 'TLS Web Server Authentication',
      basicConstraints: 'CA:FALSE',
      sans: ['DNS:etcd1.example.com', 'IP Address:192.168.0.91'],
      issuerCert: root.cert,
      ...expectedWindow(now, 8760 * HOUR),
    });
    // The certificate certifies the request's key.
    const certKey = await runOk('openssl', ['x509', '-noout', '-pubkey'], { input: cert });
    const csrKey = await runOk('openssl', ['req', '-noout', '-pubkey', '-in', fixturePath('openssl/request.csr')]);
    expect(certKey).toBe(csrKey);
  });

  it('reads a DER request too', async () => {
    const der = decodePemBlocks(fixture('openssl/request.csr'))[0]!.der;
    const { cert } = await signRequest({ csr: der, ca: root.authority, profile: resolveProfile(policy, 'peer') });
    await expectVerifies(root.cert, cert);
  });

  it("signs cfssl's RSA request with an ECDSA CA", async () => {
    const { cert } = await signRequest({
      csr: fixture('cfssl/genkey-rsa-2048.csr'),
      ca: root.authority,
      profile: resolveProfile(policy, 'client'),
    });
    const text = await x509Text(cert);
    expect(text.publicKey).toEqual({ algorithm: 'rsaEncryption', bits: 2048 });
    expect(text.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(text.subject).toBe('CN = cfssl rsa-2048 key');
    await expectVerifies(root.cert, cert, { purpose: 'sslclient' });
  });

  it("replaces the request's SANs with hosts (cfssl sign -hostname)", async () => {
    const { cert } = await signRequest({
      csr: fixture('openssl/request.csr'),
      ca: root.authority,
      profile: resolveProfile(policy, 'server'),
      hosts: ['etcd2.example.com', '192.168.0.92'],
    });
    expect(sanEntries(await x509Text(cert))).toEqual(['DNS:etcd2.example.com', 'IP Address:192.168.0.92']);
  });

  it('takes usages from the profile, not from the request (cfssl: copy_extensions off)', async () => {
    const key = fixturePath('openssl/ec256-with-params.pem');
    const csr = await runOk('openssl', [
      'req',
      '-new',
      '-key',
      key,
      '-subj',
      '/CN=wants everything',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-addext',
      'extendedKeyUsage=codeSigning',
    ]);
    const { cert } = await signRequest({ csr, ca: root.authority, profile: resolveProfile(policy, 'client') });
    const text = await x509Text(cert);
    expect(extension(text, 'Key Usage')?.value).toBe('Digital Signature, Key Encipherment');
    expect(extension(text, 'Extended Key Usage')?.value).toBe('TLS Web Client Authentication');
  });

  it('refuses a request for a CA certificate when the profile is not a CA profile', async () => {
    await expectPkiError(
      () =>
        signRequest({
          csr: fixture('openssl/ca-request.csr'),
          file: 'ca-request.csr',
          ca: root.authority,
          profile: resolveProfile(policy, 'peer'),
        }),
      // The path points into the configuration, so the error names that file.
      {
        code: 'POLICY_VIOLATION',
        file: 'ca-config.json',
        path: '/signing/profiles/peer',
        message: 'asks for a CA certificate',
        hint: '"ca_constraint"',
      },
    );
  });

  it('signs a request for a CA certificate with a CA profile, and openssl accepts the chain', async () => {
    const { cert } = await signRequest({
      csr: fixture('openssl/ca-request.csr'),
      ca: root.authority,
      profile: resolveProfile(caPolicy, 'intermediate'),
    });
    const text = await x509Text(cert);
    expect(extension(text, 'Basic Constraints')).toEqual({ name: 'X509v3 Basic Constraints', critical: true, value: 'CA:TRUE' });
    expect(text.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(text.publicKey).toEqual({ algorithm: 'id-ecPublicKey', bits: 384, curve: 'P-384' });
    await expectVerifies(root.cert, cert);
  });

  it('refuses a request whose signature does not verify, naming the file', async () => {
    const [block] = decodePemBlocks(fixture('openssl/request.csr'));
    const der = Uint8Array.from(block!.der);
    der[der.length - 5]! ^= 0x01;
    await expectPkiError(
      () =>
        signRequest({
          csr: encodePem('CERTIFICATE REQUEST', der),
          file: 'tampered.csr',
          ca: root.authority,
          profile: resolveProfile(policy, 'server'),
        }),
      { code: 'BAD_SIGNATURE', file: 'tampered.csr', hint: 'generate it again' },
    );
  });

  it('refuses a request whose subject was altered after signing', async () => {
    const [block] = decodePemBlocks(fixture('openssl/request.csr'));
    const der = Buffer.from(block!.der);
    const at = der.indexOf(Buffer.from('openssl request'));
    der.write('OPENSSL request', at, 'latin1');
    await expectPkiError(
      () => signRequest({ csr: der, file: 'altered.csr', ca: root.authority, profile: resolveProfile(policy, 'server') }),
      {
        code: 'BAD_SIGNATURE',
        file: 'altered.csr',
      },
    );
  });

  it('refuses a certificate given as a request', async () => {
    await expectPkiError(
      () => signRequest({ csr: root.cert, file: 'rootca.pem', ca: root.authority, profile: resolveProfile(policy, 'server') }),
      {
        code: 'INVALID_PEM',
        file: 'rootca.pem',
        message: 'found a "CERTIFICATE" PEM block',
      },
    );
  });

  it('refuses bytes that are not a PKCS#10 request', async () => {
    await expectPkiError(
      () =>
        signRequest({
          csr: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00),
          file: 'x.der',
          ca: root.authority,
          profile: resolveProfile(policy, 'server'),
        }),
      {
        code: 'INVALID_CSR',
        file: 'x.der',
      },
    );
  });
});
