// Issue 17: the CRL encoder and reader. Fixed CA (cfssl's walkthrough root), dates and serials:
// the TBSCertList is compared byte for byte, the whole CRL read back by openssl (its signature
// verified with the CA), and the reader refuses what is not DER or not a CRL.
import { describe, expect, it } from 'vitest';
import { PEM_LABELS, encodePem } from '../../src/pem/pem.js';
import { loadCertificateAuthority } from '../../src/signing/authority.js';
import { signCrl } from '../../src/x509/crl.js';
import { crlIssuedBy, crlRevokes, parseCrl } from '../../src/x509/crl-read.js';
import { expectPkiErrorSync } from '../support/errors.js';
import { fixture } from '../support/fixtures.js';
import { run } from '../support/run.js';
import { useTempDir } from '../support/temp.js';

const ca = loadCertificateAuthority({ certificate: fixture('cfssl/rootca.pem'), key: fixture('cfssl/rootca-key.pem') });
const tmp = useTempDir('etcd-pki-crl-');
const template = {
  issuer: ca.certificate.subject,
  thisUpdate: new Date('2026-12-01T00:00:00Z'),
  nextUpdate: new Date('2027-12-01T00:00:00Z'),
  revoked: [
    { serial: Uint8Array.of(0x01, 0x02), revokedAt: new Date('2026-11-30T12:00:00Z'), reason: 'keyCompromise' as const },
    { serial: Uint8Array.of(0x00, 0x80), revokedAt: new Date('2026-11-30T12:00:00Z'), reason: 'unspecified' as const },
  ],
  authorityKeyId: ca.certificate.extensions.subjectKeyId,
  crlNumber: 7n,
};

describe('signCrl', () => {
  it('writes the TBSCertList RFC 5280 5.1 asks for: v2, the CA subject, both times, entries, AKI and CRL number', async () => {
    const crl = parseCrl(await signCrl(template, ca.key));
    const hex = Buffer.from(crl.tbs).toString('hex');
    // version 1 (v2), then ecdsa-with-SHA256.
    expect(hex.slice(hex.indexOf('020101'), hex.indexOf('020101') + 30)).toBe('020101300a06082a8648ce3d040302');
    expect(hex).toContain(Buffer.from(ca.certificate.subject).toString('hex'));
    expect(hex).toContain(Buffer.from('261201000000Z').toString('hex'));
    expect(hex).toContain(Buffer.from('271201000000Z').toString('hex'));
    // The keyCompromise entry: serial 0102, its date, reasonCode ENUMERATED 1; the unspecified one has no extension.
    const time = Buffer.from('261130120000Z').toString('hex');
    expect(hex).toContain(`302102020102170d${time}300c300a0603551d1504030a0101`);
    expect(hex).toContain(`301302020080170d${time}a0`);
    // crlExtensions [0]: AKI then CRLNumber INTEGER 7.
    expect(hex).toMatch(/a0[0-9a-f]{2}30[0-9a-f]{2}301f0603551d23[0-9a-f]+300a0603551d140403020107$/);
    expect(crl).toMatchObject({ version: 2, crlNumber: 7n, thisUpdate: template.thisUpdate, nextUpdate: template.nextUpdate });
    expect(crl.revoked.map((e) => [Buffer.from(e.serial).toString('hex'), e.reason])).toEqual([
      ['0102', 'keyCompromise'],
      ['0080', undefined],
    ]);
    expect(await crlIssuedBy(crl, ca.certificate)).toBe(true);
    expect(crlRevokes(crl, Uint8Array.of(0x01, 0x02))).toBe(true);
    expect(crlRevokes(crl, Uint8Array.of(0x01, 0x03))).toBe(false);
  });

  it('is read by openssl, which verifies its signature with the CA', async () => {
    const pem = encodePem(PEM_LABELS.crl, await signCrl(template, ca.key));
    const file = tmp.write('crl.pem', pem);
    const caFile = tmp.write('ca.pem', fixture('cfssl/rootca.pem'));
    const result = await run('openssl', ['crl', '-in', file, '-CAfile', caFile, '-noout', '-text']);
    expect(result.stderr).toContain('verify OK');
    expect(result.stdout).toContain('X509v3 CRL Number: \n                7');
    expect(result.stdout).toContain('Key Compromise');
    expect(result.stdout).toContain('Serial Number: 0102');
  });
});

describe('parseCrl', () => {
  it.each([
    { name: 'a certificate', data: fixture('cfssl/rootca.pem'), code: 'INVALID_PEM' as const },
    { name: 'garbage in CRL armour', data: '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n', code: 'INVALID_CRL' as const },
    { name: 'random DER', data: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05), code: 'INVALID_CRL' as const },
  ])('refuses $name, naming the file', ({ data, code }) => {
    expectPkiErrorSync(() => parseCrl(data, 'x.pem'), { code, file: 'x.pem' });
  });
});
