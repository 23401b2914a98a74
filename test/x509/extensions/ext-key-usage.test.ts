import { describe, expect, it } from 'vitest';
import { extKeyUsageExtension } from '../../../src/x509/extensions/ext-key-usage.js';
import { extensionValue } from '../../../src/x509/extensions/extension.js';
import { OID } from '../../../src/x509/oids.js';
import { parseCertificate } from '../../../src/x509/parse.js';
import { fixture } from '../../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('extKeyUsageExtension', () => {
  it('encodes server auth, client auth in that order, not critical', () => {
    const extension = extKeyUsageExtension([OID.serverAuth, OID.clientAuth]);
    expect(hex(extensionValue(extension))).toBe('3014' + '06082b06010505070301' + '06082b06010505070302');
    expect(extension.critical).toBe(false);
    expect(hex(new Uint8Array(extension.toSchema().toBER()))).toBe('301d' + '0603551d25' + '0416' + '3014' + '06082b06010505070301' + '06082b06010505070302');
  });

  it('keeps the profile order (client auth before server auth)', () => {
    expect(hex(extensionValue(extKeyUsageExtension([OID.clientAuth, OID.serverAuth])))).toBe(
      '3014' + '06082b06010505070302' + '06082b06010505070301',
    );
  });

  it("matches the EKU bytes of cfssl's peer certificate", () => {
    const ext = parseCertificate(fixture('cfssl/etcd1-peer.pem')).certificate.extensions!.find((e) => e.extnID === OID.extKeyUsage)!;
    expect(hex(extensionValue(ext))).toBe(hex(extensionValue(extKeyUsageExtension([OID.serverAuth, OID.clientAuth]))));
  });
});
