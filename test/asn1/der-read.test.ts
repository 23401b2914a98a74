import { describe, expect, it } from 'vitest';
import { booleanValue, childrenOf, elementAt, integerBytes, objectIdentifierText, wholeElement } from '../../src/asn1/der-read.js';
import { objectIdentifier } from '../../src/asn1/der.js';
import { readTime } from '../../src/x509/time.js';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));

describe('der-read', () => {
  it.each([
    { name: 'a long-form length that fits the short form', hex: '30 81 01 05' },
    { name: 'a length with a leading zero octet', hex: '30 82 00 81' + '00'.repeat(0x81) },
    { name: 'the indefinite length form', hex: '30 80 00 00' },
    { name: 'a high tag number', hex: '1f 01 00' },
    { name: 'a value past the end', hex: '30 05 02 01 00' },
    { name: 'a missing length octet', hex: '30' },
  ])('refuses $name', ({ hex }) => {
    expect(() => wholeElement(bytes(hex), 0x30)).toThrow(RangeError);
  });

  it('refuses bytes after the element and a wrong tag', () => {
    expect(() => wholeElement(bytes('30 00 00'), 0x30)).toThrow('bytes after the end');
    expect(() => wholeElement(bytes('31 00'), 0x30)).toThrow('expected tag 0x30');
  });

  it('refuses a child that runs past its parent', () => {
    const der = bytes('30 03 02 02 00 00');
    expect(() => childrenOf(der, elementAt(der, 0, der.length))).toThrow('truncated DER');
  });

  it.each(['2.5.4.3', '1.2.840.113549.1.9.14', '2.5.29.37.0', '1.3.6.1.4.1.311.10.3.3', '2.999.3'])(
    'reads back OID %s as written',
    (oid) => {
      const der = objectIdentifier(oid);
      expect(objectIdentifierText(der, wholeElement(der, 0x06))).toBe(oid);
    },
  );

  it('refuses a non-minimal INTEGER and a BOOLEAN other than 00 or ff', () => {
    const integer = bytes('02 02 00 01');
    expect(() => integerBytes(integer, wholeElement(integer, 0x02))).toThrow('not a minimal INTEGER');
    const boolean = bytes('01 01 01');
    expect(() => booleanValue(boolean, wholeElement(boolean, 0x01))).toThrow('not a DER BOOLEAN');
  });
});

describe('readTime', () => {
  const time = (tag: number, text: string) => {
    const der = Uint8Array.of(tag, text.length, ...Buffer.from(text, 'latin1'));
    return readTime(der, wholeElement(der, tag));
  };
  it.each([
    { name: 'UTCTime 49 is 2049', tag: 0x17, text: '491231235959Z', iso: '2049-12-31T23:59:59.000Z' },
    { name: 'UTCTime 50 is 1950', tag: 0x17, text: '500101000000Z', iso: '1950-01-01T00:00:00.000Z' },
    { name: 'UTCTime without seconds', tag: 0x17, text: '2601021504Z', iso: '2026-01-02T15:04:00.000Z' },
    { name: 'UTCTime with an offset', tag: 0x17, text: '260102150405+0130', iso: '2026-01-02T13:34:05.000Z' },
    { name: 'GeneralizedTime after 2049', tag: 0x18, text: '20510101000000Z', iso: '2051-01-01T00:00:00.000Z' },
    { name: 'GeneralizedTime with a fraction', tag: 0x18, text: '20260102150405.25Z', iso: '2026-01-02T15:04:05.250Z' },
  ])('reads $name', ({ tag, text, iso }) => {
    expect(time(tag, text).toISOString()).toBe(iso);
  });

  it.each(['260231000000Z', '2601021504', '26010215040Z', 'x60102150405Z'])('refuses UTCTime %s', (text) => {
    expect(() => time(0x17, text)).toThrow(RangeError);
  });
});
