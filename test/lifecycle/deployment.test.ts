import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROBE_COMMON_NAME, probeCredential } from '../../src/lifecycle/deployment.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { opensslVerify } from '../support/openssl.js';
import { crypto, makeBundle, text } from './bundle.js';

describe('probeCredential', () => {
  it('is a one-hour client certificate from the CA, with no SANs, for probing members', async () => {
    const bundle = await makeBundle();
    const ca = loadCertificateAuthority({ certificate: bundle.get('ca/ca.pem')!, key: bundle.get('ca/ca-key.pem')! });
    const now = new Date();
    const probe = await probeCredential(ca, now, crypto);
    const certificate = new X509Certificate(probe.certificate);
    expect(certificate.subject).toBe(`CN=${PROBE_COMMON_NAME}`);
    expect(certificate.subjectAltName).toBeUndefined();
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new Date(certificate.validTo).getTime() - new Date(certificate.validFrom).getTime()).toBe(60 * 60_000);
    await opensslVerify(text(bundle, 'ca/ca.pem'), probe.certificate, { purpose: 'sslclient' });
    expect(probe.key).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
  });
});
