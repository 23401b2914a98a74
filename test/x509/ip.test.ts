import { describe, expect, it } from 'vitest';
import { ipToBytes, ipToText } from '../../src/x509/ip.js';

describe('IP addresses', () => {
  const cases = [
    { name: 'encodes IPv4 as 4 bytes', text: '192.168.0.91', hex: 'c0a8005b', back: '192.168.0.91' },
    { name: 'encodes ::1 as 16 bytes', text: '::1', hex: '00000000000000000000000000000001', back: '::1' },
    { name: 'encodes a compressed IPv6 address', text: '2001:db8::8:800:200c:417a', hex: '20010db8000000000008080020' + '0c417a', back: '2001:db8::8:800:200c:417a' },
    { name: 'encodes an IPv4-mapped IPv6 address and prints it dotted, as Go does', text: '::ffff:192.168.0.91', hex: '00000000000000000000ffffc0a8005b', back: '192.168.0.91' },
    { name: 'prints the longest zero run compressed (RFC 5952)', text: '2001:0:0:1:0:0:0:1', hex: '20010000000000010000000000000001', back: '2001:0:0:1::1' },
    { name: 'does not compress a single zero word (RFC 5952 4.2.2)', text: '2001:db8:0:1:1:1:1:1', hex: '20010db8000000010001000100010001', back: '2001:db8:0:1:1:1:1:1' },
  ];
  it.each(cases)('$name', ({ text, hex, back }) => {
    const bytes = ipToBytes(text);
    expect(Buffer.from(bytes!).toString('hex')).toBe(hex);
    expect(ipToText(bytes!)).toBe(back);
  });

  it.each(['etcd1', '192.168.0.256', '1.2.3', 'fe80::1%eth0', ''])('is not an IP address: %j', (text) => {
    expect(ipToBytes(text)).toBeUndefined();
  });
});
