import { describe, expect, it } from 'vitest';
import { subjectAltNameExtension } from '../../../src/x509/extensions/subject-alt-name.js';
import { extensionRecord } from '../../../src/x509/read-extensions.js';
import { classifyHosts } from '../../../src/x509/hosts.js';
import { loadCertificateRequest } from '../../../src/csr/load.js';
import { OID } from '../../../src/asn1/oids.js';
import { parseCertificate } from '../../../src/x509/parse.js';
import { fixture } from '../../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex');

describe('subjectAltNameExtension', () => {
  it('encodes DNS [2], email [1], IP [7] and URI [6] names in that order', () => {
    const sans = classifyHosts(['spiffe://c/e', '192.168.0.91', 'a@b.c', 'etcd1']);
    const body =
      '82' + '05' + ascii('etcd1') + '81' + '05' + ascii('a@b.c') + '87' + '04' + 'c0a8005b' + '86' + '0c' + ascii('spiffe://c/e');
    expect(hex(subjectAltNameExtension(sans, false).value)).toBe('30' + (body.length / 2).toString(16) + body);
  });

  it('encodes an IPv6 address as 16 bytes', () => {
    expect(hex(subjectAltNameExtension(classifyHosts(['::1']), false).value)).toBe('3012' + '8710' + '00'.repeat(15) + '01');
  });

  it('is critical only when the subject is empty (RFC 5280 4.2.1.6)', () => {
    const sans = classifyHosts(['etcd1']);
    expect(subjectAltNameExtension(sans, false).critical).toBe(false);
    expect(subjectAltNameExtension(sans, true).critical).toBe(true);
  });

  it.each(['etcd1', 'mixed-hosts'])("matches the SAN bytes of cfssl's %s certificate", (name) => {
    const csrFile = name === 'etcd1' ? 'seed/etcd1-csr.json' : 'cfssl/mixed-hosts-csr.json';
    const spec = loadCertificateRequest(fixture(csrFile));
    const ext = extensionRecord(parseCertificate(fixture(`cfssl/${name}.pem`)).extensions, OID.subjectAltName)!;
    expect(ext.critical).toBe(false);
    expect(hex(subjectAltNameExtension(spec.sans, false).value)).toBe(hex(ext.value));
    expect(hex(subjectAltNameExtension(spec.sans, false).der)).toBe(hex(ext.der));
  });
});
