import { describe, expect, it } from 'vitest';
import { certificateInfo, type CertificateInfo } from '../../src/x509/certinfo.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { fixture } from '../support/fixtures.js';

/** cfssl 1.2 prints each key id byte without zero padding ("C:2F:8B:F:..."); etcd-pki pads. */
const padKeyId = (id: string) =>
  id === ''
    ? ''
    : id
        .split(':')
        .map((b) => b.padStart(2, '0'))
        .join(':');

describe('certificateInfo', () => {
  it.each(['rootca', 'etcd1-peer', 'mixed-hosts'])('prints what cfssl certinfo printed for %s.pem, field for field', (name) => {
    const cfssl = JSON.parse(fixture(`cfssl/${name}.certinfo.json`)) as CertificateInfo;
    const ours = certificateInfo(parseCertificate(fixture(`cfssl/${name}.pem`)));
    expect(ours).toEqual({ ...cfssl, authority_key_id: padKeyId(cfssl.authority_key_id), subject_key_id: padKeyId(cfssl.subject_key_id) });
    // Same keys in the same order, as cfssl's JSON.
    expect(Object.keys(ours)).toEqual(Object.keys(cfssl));
  });

  it('pads key id bytes to two digits where cfssl 1.2 does not (a deliberate difference)', () => {
    const infos = ['rootca', 'etcd1-peer', 'mixed-hosts'].map((name) => ({
      cfssl: JSON.parse(fixture(`cfssl/${name}.certinfo.json`)) as CertificateInfo,
      ours: certificateInfo(parseCertificate(fixture(`cfssl/${name}.pem`))),
    }));
    for (const { ours } of infos) expect(ours.subject_key_id).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    // At least one of cfssl's key ids has a byte below 0x10, printed as one digit.
    expect(infos.some(({ cfssl }) => /(^|:)[0-9A-F](:|$)/.test(cfssl.subject_key_id + ':' + cfssl.authority_key_id))).toBe(true);
  });

  it('lists DNS and IP SANs but, like cfssl, no email SANs', () => {
    const ours = certificateInfo(parseCertificate(fixture('cfssl/mixed-hosts.pem')));
    expect(ours.sans).toEqual(['etcd1.example.com', 'localhost', '127.0.0.1', '::1', '192.168.0.91']);
  });

  it('omits sans for a certificate without SANs and prints an empty authority_key_id for a root', () => {
    const ours = certificateInfo(parseCertificate(fixture('cfssl/rootca.pem')));
    expect('sans' in ours).toBe(false);
    expect(ours.authority_key_id).toBe('');
  });
});
