import { describe, expect, it } from 'vitest';
import { keyUsageBitsFrom, keyUsageExtension } from '../../../src/x509/extensions/key-usage.js';
import { extensionRecord } from '../../../src/x509/read-extensions.js';
import { KEY_USAGE_BITS } from '../../../src/profiles/usages.js';
import { parseCertificate } from '../../../src/x509/parse.js';
import { OID } from '../../../src/asn1/oids.js';
import { fixture } from '../../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bits = (...names: Array<keyof typeof KEY_USAGE_BITS>) => names.reduce((all, n) => all | KEY_USAGE_BITS[n], 0);

describe('keyUsageExtension', () => {
  const vectors = [
    {
      name: 'encodes digital signature + key encipherment as 03 02 05 a0',
      bits: bits('digital signature', 'key encipherment'),
      der: '030205a0',
    },
    { name: 'encodes cert sign + crl sign (initca) as 03 02 01 06', bits: bits('cert sign', 'crl sign'), der: '03020106' },
    { name: 'encodes digital signature alone as 03 02 07 80', bits: bits('digital signature'), der: '03020780' },
    { name: 'encodes content commitment alone as 03 02 06 40', bits: bits('content commitment'), der: '03020640' },
    { name: 'encodes key agreement + encipher only as 03 02 00 09', bits: bits('key agreement', 'encipher only'), der: '03020009' },
    { name: 'encodes decipher only in a second byte, as Go does: 03 03 07 00 80', bits: bits('decipher only'), der: '0303070080' },
    {
      name: 'encodes all nine bits as 03 03 07 ff 80',
      bits: bits(
        'digital signature',
        'content commitment',
        'key encipherment',
        'data encipherment',
        'key agreement',
        'cert sign',
        'crl sign',
        'encipher only',
        'decipher only',
      ),
      der: '030307ff80',
    },
  ];
  it.each(vectors)('$name', ({ bits: value, der }) => {
    const extension = keyUsageExtension(value);
    expect(hex(extension.value)).toBe(der);
    expect(extension.critical).toBe(true);
    expect(keyUsageBitsFrom(Uint8Array.from(Buffer.from(der, 'hex').subarray(3)))).toBe(value);
  });

  it('writes the whole extension with critical TRUE (DEFAULT FALSE written only when true)', () => {
    const der = hex(keyUsageExtension(bits('digital signature', 'key encipherment')).der);
    expect(der).toBe('300e' + '0603551d0f' + '0101ff' + '0404' + '030205a0');
  });

  it.each([
    ['cfssl/rootca.pem', '03020106'],
    ['cfssl/etcd1-peer.pem', '030205a0'],
  ])("matches the KeyUsage bytes of cfssl's %s", (file, der) => {
    const ext = extensionRecord(parseCertificate(fixture(file)).extensions, OID.keyUsage)!;
    expect(hex(ext.value)).toBe(der);
    expect(hex(keyUsageExtension(keyUsageBitsFrom(Buffer.from(der, 'hex').subarray(3))).der)).toBe(hex(ext.der));
  });
});
