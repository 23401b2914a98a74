// src/ reads certificates and requests with its own DER reader (x509/der-read.ts) so that the
// issuing commands never load pkijs; this checks that reader field by field against pkijs on
// every certificate and request cfssl made for the fixtures, plus openssl's requests.
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/x509/parse.js';
import { parseCertificationRequest } from '../../src/x509/request.js';
import { fixture, fixtureNames } from '../support/fixtures.js';

const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
const certificates = fixtureNames('cfssl/').filter((name) => name.endsWith('.pem') && !name.endsWith('-key.pem'));
const requests = [
  ...fixtureNames('cfssl/')
    .filter((name) => name.endsWith('.csr'))
    .map((name) => `cfssl/${name}`),
  'openssl/request.csr',
  'openssl/ca-request.csr',
];

describe('the DER reader agrees with pkijs', () => {
  it.each(certificates)('on cfssl/%s', (name) => {
    const ours = parseCertificate(fixture(`cfssl/${name}`));
    const theirs = pkijs.Certificate.fromBER(ours.der as Uint8Array<ArrayBuffer>);
    expect({
      serial: hex(ours.serial),
      subject: hex(ours.subject),
      issuer: hex(ours.issuer),
      notBefore: ours.notBefore.toISOString(),
      notAfter: ours.notAfter.toISOString(),
      spki: hex(ours.subjectPublicKeyInfo),
      tbs: hex(ours.tbs),
      signature: hex(ours.signature),
      algorithm: ours.signatureAlgorithmOid,
      extensions: ours.extensions.records.map((e) => [e.oid, e.critical, hex(e.value)]),
    }).toEqual({
      serial: hex(theirs.serialNumber.valueBlock.valueHexView),
      subject: hex(theirs.subject.toSchema().toBER()),
      issuer: hex(theirs.issuer.toSchema().toBER()),
      notBefore: theirs.notBefore.value.toISOString(),
      notAfter: theirs.notAfter.value.toISOString(),
      spki: hex(theirs.subjectPublicKeyInfo.toSchema().toBER()),
      tbs: hex(theirs.tbsView),
      signature: hex(theirs.signatureValue.valueBlock.valueHexView),
      algorithm: theirs.signatureAlgorithm.algorithmId,
      extensions: (theirs.extensions ?? []).map((e) => [e.extnID, e.critical, hex(e.extnValue.valueBlock.valueHexView)]),
    });
  });

  it.each(requests)('on %s', (path) => {
    const ours = parseCertificationRequest(fixture(path));
    const theirs = pkijs.CertificationRequest.fromBER(ours.der as Uint8Array<ArrayBuffer>);
    const requested = theirs.attributes?.find((a) => a.type === '1.2.840.113549.1.9.14')?.values[0];
    const extensions = requested ? pkijs.Extensions.fromBER(requested.toBER()).extensions : [];
    expect({
      subject: hex(ours.subject),
      spki: hex(ours.subjectPublicKeyInfo),
      tbs: hex(ours.tbs),
      signature: hex(ours.signature),
      extensions: ours.extensions.records.map((e) => [e.oid, e.critical, hex(e.value)]),
    }).toEqual({
      subject: hex(theirs.subject.toSchema().toBER()),
      spki: hex(theirs.subjectPublicKeyInfo.toSchema().toBER()),
      tbs: hex(theirs.tbsView),
      signature: hex(theirs.signatureValue.valueBlock.valueHexView),
      extensions: extensions.map((e) => [e.extnID, e.critical, hex(e.extnValue.valueBlock.valueHexView)]),
    });
  });
});
