import { describe, expect, it } from 'vitest';
import { selfSign } from '../../src/signing/operations.js';
import { loadCertificateRequest } from '../../src/csr/load.js';
import { fixture } from '../support/fixtures.js';
import { x509Text } from '../support/openssl.js';
import { expectCertificate, expectVerifies } from '../support/issued.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SUBJECT = 'C = US, ST = San Francisco, L = CA, CN = ETCD Cluster-1';

describe('selfSign', () => {
  it("makes cfssl selfsign's certificate: default usages, CA:FALSE, SKI, no AKI, now - 5m to now + 2190h", async () => {
    const now = new Date('2026-11-25T13:09:34.400Z');
    const { cert, key } = await selfSign({ request: loadCertificateRequest(fixture('seed/etcd1-csr.json')), now });
    await expectCertificate(cert, {
      issuerKey: { algo: 'ecdsa', size: 256 },
      subjectKey: { algo: 'ecdsa', size: 256 },
      subject: SUBJECT,
      issuer: SUBJECT,
      keyUsage: 'Digital Signature, Key Encipherment',
      extKeyUsage: 'TLS Web Server Authentication, TLS Web Client Authentication',
      basicConstraints: 'CA:FALSE',
      // cfssl 1.2 writes no SAN at all here (fixtures/cfssl/selfsign.pem): a trap, since no TLS
      // client then accepts the certificate for 192.168.0.91. etcd-pki writes the request's hosts.
      sans: ['IP Address:192.168.0.91'],
      notBefore: new Date('2026-11-25T13:04:34Z'),
      notAfter: new Date('2027-02-24T19:09:34Z'),
    });
    expect(key.startsWith('-----BEGIN EC PRIVATE KEY-----\n')).toBe(true);
    await expectVerifies(cert, cert, { atTime: Date.parse('2026-12-01T00:00:00Z') / 1000 });
  });

  it("lasts exactly as long as cfssl's selfsign.pem, starting 5 minutes before the signing time", async () => {
    const cfssl = await x509Text(fixture('cfssl/selfsign.pem'));
    // MADE-BY.md: cfssl selfsign ran at 13:09:34 UTC.
    expect(cfssl.notBefore.toISOString()).toBe('2026-11-25T13:04:34.000Z');
    const ours = await x509Text(
      (await selfSign({ request: loadCertificateRequest(fixture('seed/etcd1-csr.json')), now: new Date('2026-11-25T13:09:34Z') })).cert,
    );
    expect(ours.notBefore.toISOString()).toBe(cfssl.notBefore.toISOString());
    expect(ours.notAfter.toISOString()).toBe(cfssl.notAfter.toISOString());
    expect(ours.notAfter.getTime() - ours.notBefore.getTime()).toBe(2190 * HOUR + 5 * MINUTE);
  });
});
