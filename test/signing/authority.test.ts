import { describe, expect, it } from 'vitest';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { generateCertificate } from '../../src/signing/operations.js';
import { normaliseCertificateRequest } from '../../src/csr/load.js';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { fixture, fixturePath } from '../support/fixtures.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { expectVerifies } from '../support/issued.js';
import { runOk, runOkBytes } from '../support/run.js';

const policy = loadSigningPolicy(fixture('seed/ca-config.json'));

describe('loadCertificateAuthority', () => {
  it("loads cfssl's walkthrough CA", () => {
    const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });
    expect(ca.certificate.isCA).toBe(true);
    expect(ca.key.spec).toEqual({ algo: 'ecdsa', size: 256 });
  });

  it('loads a CA made by openssl req -x509 (EC PARAMETERS key) and issues from it', async () => {
    const cert = await runOk('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      fixturePath('openssl/ec256-with-params.pem'),
      '-subj',
      '/CN=openssl root',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const ca = loadCertificateAuthority({ certificate: cert, key: fixture('openssl/ec256-with-params.pem') });
    const leaf = await generateCertificate({
      request: normaliseCertificateRequest({ CN: 'etcd1', hosts: ['192.168.0.91'] }),
      ca,
      profile: resolveProfile(policy, 'peer'),
    });
    await expectVerifies(cert, leaf.cert, { purpose: 'sslserver' });
  });

  it('refuses a key that does not belong to the certificate, naming both files', () => {
    expectPkiErrorSync(
      () =>
        loadCertificateAuthority({
          certificate: fixture('cfssl/rootca.pem'),
          key: fixture('cfssl/etcd1-key.pem'),
          certificateFile: 'rootca.pem',
          keyFile: 'etcd1-key.pem',
        }),
      { code: 'KEY_MISMATCH', file: 'etcd1-key.pem', hint: 'rootca.pem' },
    );
  });

  it('refuses a leaf certificate as a CA (CA:FALSE)', () => {
    expectPkiErrorSync(
      () =>
        loadCertificateAuthority({
          certificate: fixture('cfssl/etcd1.pem'),
          key: fixture('cfssl/etcd1-key.pem'),
          certificateFile: 'etcd1.pem',
        }),
      { code: 'INVALID_CERTIFICATE', file: 'etcd1.pem', message: 'not a CA', hint: 'root or intermediate' },
    );
  });

  it('refuses a key given as the certificate, naming the file', () => {
    expectPkiErrorSync(
      () =>
        loadCertificateAuthority({
          certificate: fixture('cfssl/rootca-key.pem'),
          key: fixture('cfssl/rootca-key.pem'),
          certificateFile: 'rootca-key.pem',
        }),
      { code: 'INVALID_PEM', file: 'rootca-key.pem', message: 'found a "EC PRIVATE KEY" PEM block' },
    );
  });

  it('reads a DER certificate', async () => {
    const der = await runOkBytes('openssl', ['x509', '-outform', 'DER', '-in', fixturePath('cfssl/rootca.pem')]);
    expect(loadCertificateAuthority({ certificate: new Uint8Array(der), key: fixture('cfssl/rootca-key.pem') }).certificate.pem).toBe(
      fixture('cfssl/rootca.pem'),
    );
  });
});
