import { describe, expect, it } from 'vitest';
import { createPkiCrypto } from '../../../src/crypto.js';
import { authorityKeyIdentifierExtension, subjectKeyIdentifierExtension } from '../../../src/x509/extensions/key-identifiers.js';
import { colonHex, keyIdentifier } from '../../../src/x509/key-id.js';
import { OID } from '../../../src/asn1/oids.js';
import { parseCertificate } from '../../../src/x509/parse.js';
import { fixture } from '../../support/fixtures.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ID = Uint8Array.from({ length: 20 }, (_, i) => i);

describe('key identifiers', () => {
  it('encodes the SKI as an OCTET STRING of the 20 bytes, not critical', () => {
    const extension = subjectKeyIdentifierExtension(ID);
    expect(hex(extension.value)).toBe('0414' + hex(ID));
    expect(extension.critical).toBe(false);
  });

  it('encodes the AKI as a SEQUENCE holding keyIdentifier [0] only, as Go does', () => {
    const extension = authorityKeyIdentifierExtension(ID);
    expect(hex(extension.value)).toBe('3016' + '8014' + hex(ID));
    expect(extension.critical).toBe(false);
  });

  it.each(['rootca', 'etcd1', 'etcd1-peer', 'mixed-hosts'])(
    "computes the SKI cfssl wrote into %s.pem (SHA-1 of the key's bits)",
    async (name) => {
      const cert = parseCertificate(fixture(`cfssl/${name}.pem`));
      const ski = cert.extensions.records.find((e) => e.oid === OID.subjectKeyIdentifier)!;
      const id = await keyIdentifier(cert.subjectPublicKeyInfo, createPkiCrypto());
      const ours = subjectKeyIdentifierExtension(id);
      expect([hex(ours.value), ours.critical]).toEqual([hex(ski.value), ski.critical]);
    },
  );

  it("writes the root's SKI as the leaf's AKI in cfssl's certificates, as etcd-pki does", () => {
    const root = parseCertificate(fixture('cfssl/rootca.pem'));
    const leaf = parseCertificate(fixture('cfssl/etcd1.pem'));
    const aki = leaf.extensions.records.find((e) => e.oid === OID.authorityKeyIdentifier)!;
    const ours = authorityKeyIdentifierExtension(root.extensions.subjectKeyId!);
    expect([hex(ours.value), ours.critical]).toEqual([hex(aki.value), aki.critical]);
  });

  it('prints key ids in upper-case hex pairs joined by colons', () => {
    expect(colonHex(Uint8Array.of(0x0c, 0x2f, 0x8b, 0x0f))).toBe('0C:2F:8B:0F');
  });
});
