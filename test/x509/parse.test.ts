import { describe, expect, it } from 'vitest';
import { isSignedBy, parseCertificate, parseCertificateBundle, publicKeyMatches } from '../../src/x509/parse.js';
import { readPrivateKey } from '../../src/keys/read.js';
import { OID } from '../../src/asn1/oids.js';
import { fixture } from '../support/fixtures.js';
import { x509Text } from '../support/openssl.js';
import { expectPkiErrorSync } from '../support/errors.js';

describe('parseCertificate', () => {
  it("reads cfssl's peer certificate as openssl does", async () => {
    const pem = fixture('cfssl/etcd1-peer.pem');
    const ours = parseCertificate(pem, 'etcd1-peer.pem');
    const openssl = await x509Text(pem);
    expect(Buffer.from(ours.serial).toString('hex')).toBe(openssl.serialHex);
    expect(ours.notBefore.toISOString()).toBe(openssl.notBefore.toISOString());
    expect(ours.notAfter.toISOString()).toBe(openssl.notAfter.toISOString());
    expect(ours.signatureAlgorithm?.name).toBe('ECDSAWithSHA256');
    expect(ours.isCA).toBe(false);
    expect(ours.sans).toEqual({ dns: [], email: [], ip: ['192.168.0.91'], uri: [] });
    expect(ours.extensions.order).toEqual([
      OID.keyUsage,
      OID.extKeyUsage,
      OID.basicConstraints,
      OID.subjectKeyIdentifier,
      OID.authorityKeyIdentifier,
      OID.subjectAltName,
    ]);
    expect(ours.extensions.keyUsage).toEqual({ bits: 0b101, critical: true });
    expect(ours.extensions.extKeyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
    expect(ours.extensions.basicConstraints).toEqual({ isCA: false, critical: true });
    expect(ours.pem).toBe(pem);
  });

  it("reads cfssl's mixed SANs back by kind", () => {
    expect(parseCertificate(fixture('cfssl/mixed-hosts.pem')).sans).toEqual({
      dns: ['etcd1.example.com', 'localhost'],
      email: ['ops@example.com'],
      ip: ['127.0.0.1', '::1', '192.168.0.91'],
      uri: [],
    });
  });

  it('checks signatures: the root signed the leaf, the leaf did not sign the root', async () => {
    const root = parseCertificate(fixture('cfssl/rootca.pem'));
    const leaf = parseCertificate(fixture('cfssl/etcd1.pem'));
    expect(await isSignedBy(leaf, root)).toBe(true);
    expect(await isSignedBy(root, root)).toBe(true);
    expect(await isSignedBy(root, leaf)).toBe(false);
  });

  it("tells whether a key is the certificate's", () => {
    const root = parseCertificate(fixture('cfssl/rootca.pem'));
    expect(publicKeyMatches(root, readPrivateKey(fixture('cfssl/rootca-key.pem')).publicKey)).toBe(true);
    expect(publicKeyMatches(root, readPrivateKey(fixture('cfssl/etcd1-key.pem')).publicKey)).toBe(false);
  });

  it('reads every certificate of a bundle, in order', () => {
    const bundle = parseCertificateBundle(fixture('cfssl/etcd1.pem') + fixture('cfssl/rootca.pem'));
    expect(bundle.map((c) => c.isCA)).toEqual([false, true]);
  });

  it('refuses a bundle without certificates', () => {
    expectPkiErrorSync(() => parseCertificateBundle(fixture('cfssl/rootca-key.pem'), 'ca.pem'), {
      code: 'INVALID_PEM',
      file: 'ca.pem',
      message: 'no certificate',
    });
  });

  it('refuses bytes that are not a certificate', () => {
    expectPkiErrorSync(() => parseCertificate(Uint8Array.of(0x30, 0x00), 'x.der'), { code: 'INVALID_CERTIFICATE', file: 'x.der' });
  });

  it('refuses a request given as a certificate and says what it found', () => {
    expectPkiErrorSync(() => parseCertificate(fixture('cfssl/etcd1.csr'), 'etcd1.csr'), {
      code: 'INVALID_PEM',
      file: 'etcd1.csr',
      message: 'found a "CERTIFICATE REQUEST" PEM block',
    });
  });
});

describe('parseCertificate on corrupt DER', () => {
  const der = () =>
    Buffer.from(
      fixture('cfssl/etcd1.pem')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s/g, ''),
      'base64',
    );
  const corruptions: ReadonlyArray<{ name: string; bytes: () => Uint8Array }> = [
    { name: 'a trailing byte', bytes: () => Buffer.concat([der(), Buffer.of(0)]) },
    { name: 'the last byte cut off', bytes: () => der().subarray(0, -1) },
    { name: 'the outer length one too long', bytes: () => Object.assign(der(), { 3: der()[3]! + 1 }) },
    { name: 'a SET where the Certificate SEQUENCE belongs', bytes: () => Object.assign(der(), { 0: 0x31 }) },
    { name: 'the TBSCertificate tagged as a SET', bytes: () => Object.assign(der(), { 4: 0x31 }) },
    {
      name: 'a signature algorithm inside the TBSCertificate other than the outer one',
      bytes: () => {
        const bytes = der();
        const ecdsaWithSha256 = Buffer.from('2a8648ce3d040302', 'hex'); // the first one is the TBSCertificate's
        bytes[bytes.indexOf(ecdsaWithSha256) + ecdsaWithSha256.length - 1] = 0x03; // ecdsa-with-SHA384
        return bytes;
      },
    },
  ];
  it.each(corruptions)('refuses $name with INVALID_CERTIFICATE', ({ bytes }) => {
    expectPkiErrorSync(() => parseCertificate(bytes(), 'bad.der'), { code: 'INVALID_CERTIFICATE', file: 'bad.der' });
  });

  it('reads the same fields from DER as from PEM', () => {
    const fromPem = parseCertificate(fixture('cfssl/etcd1.pem'));
    const fromDer = parseCertificate(new Uint8Array(der()));
    expect(Buffer.from(fromDer.tbs).equals(Buffer.from(fromPem.tbs))).toBe(true);
    expect(fromDer.signatureAlgorithmOid).toBe(OID.ecdsaWithSHA256);
  });
});
