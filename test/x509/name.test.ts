import { describe, expect, it } from 'vitest';
import { loadCertificateRequest } from '../../src/csr/load.js';
import { encodeName, formatName, nameValues, subjectNameOf } from '../../src/x509/name.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { parseCertificationRequest } from '../../src/x509/request.js';
import { fixture } from '../support/fixtures.js';
import { runOk } from '../support/run.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeName', () => {
  const vectors = [
    {
      name: 'encodes C and CN as PrintableStrings, each in its own RDN',
      subject: { commonName: 'a', country: ['US'] },
      der: '3019' + '310b' + '3009' + '0603550406' + '13025553' + '310a' + '3008' + '0603550403' + '130161',
    },
    {
      name: "encodes '&', outside PrintableString's alphabet, as a UTF8String",
      subject: { organization: ['A&B'] },
      der: '300e' + '310c' + '300a' + '060355040a' + '0c03412642',
    },
    {
      name: 'encodes a non-ASCII value as a UTF8String of its UTF-8 bytes',
      subject: { commonName: 'é' },
      der: '300d' + '310b' + '3009' + '0603550403' + '0c02c3a9',
    },
    {
      name: 'sorts the values of a multi-valued RDN by their DER encoding',
      subject: { organizationalUnit: ['b', 'a'] },
      der: '3016' + '3114' + '3008' + '060355040b' + '130161' + '3008' + '060355040b' + '130162',
    },
    { name: 'encodes an empty subject as an empty SEQUENCE', subject: {}, der: '3000' },
  ];
  it.each(vectors)('$name', ({ subject, der }) => {
    expect(hex(encodeName(subject))).toBe(der);
  });

  it('writes C, ST, L, O, OU, CN in that order, as openssl shows', async () => {
    const der = encodeName({
      commonName: 'etcd1',
      organizationalUnit: ['Infra'],
      organization: ['Example'],
      locality: ['Berlin'],
      province: ['Berlin'],
      country: ['DE'],
    });
    const text = await runOk('openssl', ['asn1parse', '-inform', 'DER'], { input: der });
    const order = [...text.matchAll(/OBJECT\s+:(\w+)/g)].map((m) => m[1]);
    expect(order).toEqual([
      'countryName',
      'stateOrProvinceName',
      'localityName',
      'organizationName',
      'organizationalUnitName',
      'commonName',
    ]);
  });

  it("equals cfssl's subject for the walkthrough's root CA request, byte for byte", () => {
    const spec = loadCertificateRequest(fixture('seed/rootca-csr.json'));
    const cfssl = parseCertificate(fixture('cfssl/rootca.pem'));
    expect(hex(encodeName(spec.subject))).toBe(hex(cfssl.subject));
  });

  it("equals cfssl's subject for multi-valued O and OU, a UTF8String and a serialnumber", () => {
    const spec = loadCertificateRequest(fixture('cfssl/multi-valued-names-csr.json'));
    const cfssl = parseCertificationRequest(fixture('cfssl/multi-valued-names.csr'));
    expect(hex(encodeName(spec.subject))).toBe(hex(cfssl.subject));
  });
});

describe('reading names back', () => {
  it("reads cfssl's subject into cfssl's fields", () => {
    const cfssl = parseCertificationRequest(fixture('cfssl/multi-valued-names.csr'));
    expect(subjectNameOf(cfssl.subject)).toEqual({
      country: ['US'],
      province: ['California'],
      locality: ['San Francisco'],
      organization: ['Example', 'Exämple GmbH'],
      organizationalUnit: ['a-team', 'b-team'],
      commonName: 'etcd-admin',
      serialNumber: 'SN-0001',
    });
  });

  it('reads every value in encoded order, each RDN in turn', () => {
    const der = parseCertificationRequest(fixture('cfssl/multi-valued-names.csr')).subject;
    expect(nameValues(der)).toEqual([
      'US',
      'California',
      'San Francisco',
      'Example',
      'Exämple GmbH',
      'a-team',
      'b-team',
      'etcd-admin',
      'SN-0001',
    ]);
  });

  it('formats a name on one line for messages', () => {
    const cfssl = parseCertificate(fixture('cfssl/rootca.pem'));
    expect(formatName(cfssl.subject)).toBe('C=US, ST=San Francisco, L=CA, CN=ETCD Root CA');
  });
});
