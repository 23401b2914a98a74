import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipToBytes, ipToText } from '../../src/x509/ip.js';

describe('IP addresses', () => {
  const cases = [
    { name: 'encodes IPv4 as 4 bytes', text: '192.168.0.91', hex: 'c0a8005b', back: '192.168.0.91' },
    { name: 'encodes ::1 as 16 bytes', text: '::1', hex: '00000000000000000000000000000001', back: '::1' },
    {
      name: 'encodes a compressed IPv6 address',
      text: '2001:db8::8:800:200c:417a',
      hex: '20010db8000000000008080020' + '0c417a',
      back: '2001:db8::8:800:200c:417a',
    },
    {
      name: 'encodes an IPv4-mapped IPv6 address and prints it dotted, as Go does',
      text: '::ffff:192.168.0.91',
      hex: '00000000000000000000ffffc0a8005b',
      back: '192.168.0.91',
    },
    {
      name: 'prints the longest zero run compressed (RFC 5952)',
      text: '2001:0:0:1:0:0:0:1',
      hex: '20010000000000010000000000000001',
      back: '2001:0:0:1::1',
    },
    {
      name: 'does not compress a single zero word (RFC 5952 4.2.2)',
      text: '2001:db8:0:1:1:1:1:1',
      hex: '20010db8000000010001000100010001',
      back: '2001:db8:0:1:1:1:1:1',
    },
  ];
  it.each(cases)('$name', ({ text, hex, back }) => {
    const bytes = ipToBytes(text);
    expect(Buffer.from(bytes!).toString('hex')).toBe(hex);
    expect(ipToText(bytes!)).toBe(back);
  });

  it.each(['etcd1', '192.168.0.256', '1.2.3', 'fe80::1%eth0', ''])('is not an IP address: %j', (text) => {
    expect(ipToBytes(text)).toBeUndefined();
  });

  // ipToBytes reads IPv6 itself (not with node:net); node:net's isIPv6 is the oracle for which
  // texts are addresses, zone IDs aside.
  it.each([
    '::',
    '::1',
    '1::',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    '1:2:3:4::5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    '::1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '::01.2.3.4',
    ':::',
    ':1::',
    '1::2::3',
    '12345::',
    'g::',
    '::ffff:255.255.255.255',
    '::ffff:256.1.1.1',
    'a:b:c:d:e:f:0:1',
    'ABCD::',
    '1:',
    ':1',
  ])('agrees with node:net on whether %j is an IPv6 address', (text) => {
    expect(ipToBytes(text) !== undefined).toBe(isIPv6(text));
  });

  it('agrees with node:net on generated texts, and its bytes print back as the same address', () => {
    const group = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{1,5}$/), fc.constantFrom('', '1.2.3.4', '255.0.0.1', '1.2.3', '300.1.1.1'));
    const text = fc
      .array(group, { minLength: 1, maxLength: 10 })
      .chain((groups) =>
        fc
          .array(fc.constantFrom(':', '::'), { minLength: groups.length - 1, maxLength: groups.length - 1 })
          .map((seps) => groups.map((g, i) => g + (seps[i] ?? '')).join('')),
      );
    fc.assert(
      fc.property(text, (candidate) => {
        const bytes = ipToBytes(candidate);
        expect(bytes !== undefined).toBe(isIPv6(candidate) || isIPv4(candidate));
        if (bytes?.length === 16)
          expect(ipToBytes(ipToText(bytes).includes(':') ? ipToText(bytes) : `::ffff:${ipToText(bytes)}`)).toEqual(bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
