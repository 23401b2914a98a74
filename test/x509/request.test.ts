import { describe, expect, it } from 'vitest';
import { parseCertificationRequest, verifyCertificationRequest } from '../../src/x509/request.js';
import { fixture } from '../support/fixtures.js';
import { expectPkiError } from '../support/errors.js';

describe('parseCertificationRequest', () => {
  it("reads openssl's request: subject, key, requested SANs", async () => {
    const parsed = parseCertificationRequest(fixture('openssl/request.csr'));
    await verifyCertificationRequest(parsed);
    expect(parsed.sans).toEqual({ dns: ['etcd1.example.com'], email: [], ip: ['192.168.0.91'], uri: [] });
    expect(parsed.signatureAlgorithm.name).toBe('ECDSAWithSHA256');
    expect(parsed.extensions.basicConstraints).toBeUndefined();
  });

  it("reads openssl's CA request's CA:TRUE", () => {
    expect(parseCertificationRequest(fixture('openssl/ca-request.csr')).extensions.basicConstraints).toEqual({
      isCA: true,
      critical: true,
    });
  });

  it.each(['etcd1', 'rootca', 'mixed-hosts', 'genkey-rsa-3072', 'genkey-ecdsa-521'])("verifies cfssl's %s.csr", async (name) => {
    await verifyCertificationRequest(parseCertificationRequest(fixture(`cfssl/${name}.csr`)));
  });

  it("reads the old 'NEW CERTIFICATE REQUEST' label", async () => {
    const pem = fixture('openssl/request.csr').replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST');
    await verifyCertificationRequest(parseCertificationRequest(pem));
  });

  it('refuses a request signed with MD5 by name', async () => {
    const { runOk } = await import('../support/run.js');
    const { fixturePath } = await import('../support/fixtures.js');
    const md5 = await runOk('openssl', ['req', '-new', '-md5', '-key', fixturePath('openssl/rsa2048-pkcs1.pem'), '-subj', '/CN=old']);
    await expectPkiError(() => parseCertificationRequest(md5, 'old.csr'), {
      code: 'INVALID_CSR',
      file: 'old.csr',
      message: 'unsupported algorithm 1.2.840.113549.1.1.4',
    });
  });
});
