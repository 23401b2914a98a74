import { describe, expect, it } from 'vitest';
import { contextPrimitive, objectIdentifier, standaloneTlv, tlv, unsignedInteger } from '../../src/asn1/der.js';
import { wholeElement } from '../../src/asn1/der-read.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('tlv', () => {
  it.each([
    { name: 'uses the short form for 0 bytes', length: 0, header: '0400' },
    { name: 'uses the short form up to 127 bytes', length: 127, header: '047f' },
    { name: 'uses one long-form octet from 128 bytes', length: 128, header: '048180' },
    { name: 'uses one long-form octet up to 255 bytes', length: 255, header: '0481ff' },
    { name: 'uses two long-form octets from 256 bytes', length: 256, header: '04820100' },
    { name: 'uses two long-form octets up to 65,535 bytes', length: 65535, header: '0482ffff' },
    { name: 'uses three long-form octets from 65,536 bytes', length: 65536, header: '0483010000' },
  ])('$name', ({ length, header }) => {
    const out = tlv(0x04, new Uint8Array(length).fill(0xaa));
    expect(hex(out.subarray(0, header.length / 2))).toBe(header);
    expect(out.length).toBe(header.length / 2 + length);
    expect(wholeElement(out, 0x04)).toEqual({ tag: 0x04, offset: 0, start: header.length / 2, end: out.length });
  });

  it('concatenates its contents in order', () => {
    expect(hex(tlv(0x30, Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)))).toBe('3003010203');
  });
});

describe('objectIdentifier', () => {
  it.each([
    { name: 'encodes the first two arcs as 40 * a + b (X.690 8.19.4)', oid: '2.5.29.17', der: '0603551d11' },
    { name: 'encodes arcs of 128 and more in base 128 (ecdsa-with-SHA256)', oid: '1.2.840.10045.4.3.2', der: '06082a8648ce3d040302' },
    { name: 'encodes a first arc of 2 with a second arc over 39 (2.999)', oid: '2.999.3', der: '0603883703' },
    {
      name: 'encodes a two-octet arc between one-octet arcs (Microsoft SGC)',
      oid: '1.3.6.1.4.1.311.10.3.3',
      der: '060a2b0601040182370a0303',
    },
    { name: 'encodes a zero arc as one zero octet (anyExtendedKeyUsage)', oid: '2.5.29.37.0', der: '0604551d2500' },
  ])('$name', ({ oid, der }) => {
    expect(hex(objectIdentifier(oid))).toBe(der);
  });

  it.each(['', '1', '3.1', '1.40', '1.2.x', '1..2'])('refuses the malformed OID %j', (oid) => {
    expect(() => objectIdentifier(oid)).toThrow(RangeError);
  });
});

describe('unsignedInteger', () => {
  it.each([
    { value: 0, der: '020100' },
    { value: 1, der: '020101' },
    { value: 127, der: '02017f' },
    { value: 128, der: '02020080' },
    { value: 256, der: '02020100' },
    { value: 65535, der: '020300ffff' },
  ])('encodes $value minimally, with a leading zero only before a set top bit: $der', ({ value, der }) => {
    expect(hex(unsignedInteger(value))).toBe(der);
  });

  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1])('refuses %d', (value) => {
    expect(() => unsignedInteger(value)).toThrow(RangeError);
  });
});

describe('contextPrimitive', () => {
  it('writes an IMPLICIT context-specific primitive tag (dNSName [2])', () => {
    expect(hex(contextPrimitive(2, Uint8Array.of(0x61)))).toBe('820161');
  });
});

describe('standaloneTlv', () => {
  it('writes the same bytes as tlv, in an ArrayBuffer of its own (callers may keep .buffer)', () => {
    const parts = [new Uint8Array(100).fill(1), Uint8Array.of(2, 3)];
    const own = standaloneTlv(0x30, ...parts);
    expect(hex(own)).toBe(hex(tlv(0x30, ...parts)));
    expect(own.byteOffset).toBe(0);
    expect(own.buffer.byteLength).toBe(own.length);
  });
});
