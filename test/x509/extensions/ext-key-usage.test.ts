import { describe, expect, it } from 'vitest';
import { extKeyUsageExtension } from '../../../src/x509/extensions/ext-key-usage.js';
import { extensionRecord } from '../../../src/x509/read-extensions.js';
import { OID } from '../../../src/asn1/oids.js';
import { parseCertificate } from '../../../src/x509/parse.js';
import { fixture } from '../../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('extKeyUsageExtension', () => {
  it('encodes server auth, client auth in that order, not critical', () => {
    const extension = extKeyUsageExtension([OID.serverAuth, OID.clientAuth]);
    expect(hex(extension.value)).toBe('3014' + '06082b06010505070301' + '06082b06010505070302');
    expect(extension.critical).toBe(false);
    expect(hex(extension.der)).toBe('301d' + '0603551d25' + '0416' + '3014' + '06082b06010505070301' + '06082b06010505070302');
  });

  it('keeps the profile order (client auth before server auth)', () => {
    expect(hex(extKeyUsageExtension([OID.clientAuth, OID.serverAuth]).value)).toBe(
      '3014' + '06082b06010505070302' + '06082b06010505070301',
    );
  });

  it("matches the EKU bytes of cfssl's peer certificate", () => {
    const ext = extensionRecord(parseCertificate(fixture('cfssl/etcd1-peer.pem')).extensions, OID.extKeyUsage)!;
    expect(hex(extKeyUsageExtension([OID.serverAuth, OID.clientAuth]).der)).toBe(hex(ext.der));
    expect(hex(extKeyUsageExtension([OID.serverAuth, OID.clientAuth]).value)).toBe(hex(ext.value));
  });
});
