import { describe, expect, it } from 'vitest';
import { basicConstraintsExtension } from '../../../src/x509/extensions/basic-constraints.js';
import { extensionRecord } from '../../../src/x509/read-extensions.js';
import { parseCertificate } from '../../../src/x509/parse.js';
import { OID } from '../../../src/asn1/oids.js';
import { fixture } from '../../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('basicConstraintsExtension', () => {
  const vectors = [
    { name: 'encodes a leaf as 30 00 (cA DEFAULT FALSE omitted)', constraints: { isCA: false }, der: '3000' },
    { name: 'drops a pathLen on a leaf', constraints: { isCA: false, pathLen: 3 }, der: '3000' },
    { name: 'encodes a CA without pathlen as 30 03 01 01 ff', constraints: { isCA: true }, der: '30030101ff' },
    { name: 'encodes a CA with pathlen 1', constraints: { isCA: true, pathLen: 1 }, der: '30060101ff020101' },
    { name: 'encodes a CA with an explicit pathlen 0', constraints: { isCA: true, pathLen: 0 }, der: '30060101ff020100' },
  ];
  it.each(vectors)('$name', ({ constraints, der }) => {
    const extension = basicConstraintsExtension(constraints);
    expect(hex(extension.value)).toBe(der);
    expect(extension.critical).toBe(true);
  });

  it.each([
    ['cfssl/rootca.pem', '30030101ff', true],
    ['cfssl/etcd1.pem', '3000', false],
  ])("matches the BasicConstraints bytes of cfssl's %s", (file, der, isCA) => {
    const ext = extensionRecord(parseCertificate(fixture(file)).extensions, OID.basicConstraints)!;
    expect(ext.critical).toBe(true);
    expect(hex(ext.value)).toBe(der);
    expect(hex(basicConstraintsExtension({ isCA }).der)).toBe(hex(ext.der));
  });
});
