import { describe, expect, it } from 'vitest';
import { minimalPositiveInteger, randomSerial, serialToDecimal } from '../../src/x509/serial.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { fixture } from '../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('serial numbers', () => {
  const vectors = [
    { name: 'drops leading zero bytes (X.690 8.3.2)', bytes: '00007f', der: '7f' },
    { name: 'keeps one zero byte before a set top bit, so the INTEGER stays positive', bytes: '000080', der: '0080' },
    { name: 'adds a zero byte before a set top bit', bytes: '80', der: '0080' },
    { name: 'encodes zero as one zero byte', bytes: '000000', der: '00' },
    { name: 'leaves a minimal value alone', bytes: '0102', der: '0102' },
  ];
  it.each(vectors)('$name', ({ bytes, der }) => {
    expect(hex(minimalPositiveInteger(Buffer.from(bytes, 'hex')))).toBe(der);
  });

  it('makes positive, minimal serials of at most 20 bytes (RFC 5280 4.1.2.2), 2000 times', () => {
    const lengths = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const serial = randomSerial();
      lengths.add(serial.length);
      expect(serial.length).toBeGreaterThanOrEqual(1);
      expect(serial.length).toBeLessThanOrEqual(20);
      expect(serial[0]! & 0x80).toBe(0);
      if (serial.length > 1) expect(serial[0] === 0 && serial[1]! < 0x80).toBe(false);
    }
    // 20 random bytes with the top bit cleared: most serials use all 20 bytes.
    expect(lengths.has(20)).toBe(true);
  });

  it('makes different serials each time', () => {
    const seen = new Set(Array.from({ length: 200 }, () => hex(randomSerial())));
    expect(seen.size).toBe(200);
  });

  it.each(['rootca', 'etcd1-peer', 'mixed-hosts'])("prints %s's serial in decimal as cfssl certinfo does", (name) => {
    const info = JSON.parse(fixture(`cfssl/${name}.certinfo.json`)) as { serial_number: string };
    expect(serialToDecimal(parseCertificate(fixture(`cfssl/${name}.pem`)).serial)).toBe(info.serial_number);
  });
});
