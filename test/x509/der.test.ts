import { describe, expect, it } from 'vitest';
import { readTlv, tlv } from '../../src/x509/der.js';

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
    expect(readTlv(out, 0)).toEqual({ tag: 0x04, start: header.length / 2, end: out.length });
  });

  it('concatenates its contents in order', () => {
    expect(hex(tlv(0x30, Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)))).toBe('3003010203');
  });
});
