import { describe, expect, it } from 'vitest';
import { describeKeySpec, signatureAlgorithmByOid, signatureAlgorithmFor, type KeySpec } from '../../src/keys/algorithms.js';
import { OID } from '../../src/asn1/oids.js';

describe('signatureAlgorithmFor', () => {
  // cfssl signer.DefaultSigAlgo: RSA by modulus size, ECDSA by curve.
  const cases: Array<{ name: string; spec: KeySpec; oid: string; nullParams: boolean }> = [
    { name: 'signs with ecdsa-with-SHA256 for P-256', spec: { algo: 'ecdsa', size: 256 }, oid: OID.ecdsaWithSHA256, nullParams: false },
    { name: 'signs with ecdsa-with-SHA384 for P-384', spec: { algo: 'ecdsa', size: 384 }, oid: OID.ecdsaWithSHA384, nullParams: false },
    { name: 'signs with ecdsa-with-SHA512 for P-521', spec: { algo: 'ecdsa', size: 521 }, oid: OID.ecdsaWithSHA512, nullParams: false },
    {
      name: 'signs with sha256WithRSAEncryption for RSA 2048',
      spec: { algo: 'rsa', size: 2048 },
      oid: OID.sha256WithRSAEncryption,
      nullParams: true,
    },
    {
      name: 'signs with sha256WithRSAEncryption for RSA 3071',
      spec: { algo: 'rsa', size: 3071 },
      oid: OID.sha256WithRSAEncryption,
      nullParams: true,
    },
    {
      name: 'signs with sha384WithRSAEncryption for RSA 3072',
      spec: { algo: 'rsa', size: 3072 },
      oid: OID.sha384WithRSAEncryption,
      nullParams: true,
    },
    {
      name: 'signs with sha512WithRSAEncryption for RSA 4096',
      spec: { algo: 'rsa', size: 4096 },
      oid: OID.sha512WithRSAEncryption,
      nullParams: true,
    },
    {
      name: 'signs with sha512WithRSAEncryption for RSA 8192',
      spec: { algo: 'rsa', size: 8192 },
      oid: OID.sha512WithRSAEncryption,
      nullParams: true,
    },
    { name: 'signs with Ed25519 (no separate hash)', spec: { algo: 'ed25519' }, oid: OID.ed25519, nullParams: false },
  ];
  it.each(cases)('$name', ({ spec, oid, nullParams }) => {
    const algorithm = signatureAlgorithmFor(spec);
    expect(algorithm.oid).toBe(oid);
    expect(algorithm.nullParams).toBe(nullParams);
    expect(signatureAlgorithmByOid(oid)).toBe(algorithm);
  });

  it('knows no algorithm by an unknown OID', () => {
    expect(signatureAlgorithmByOid('1.2.840.113549.1.1.4')).toBeUndefined();
  });

  it.each([
    [{ algo: 'ecdsa', size: 256 } as const, 'ecdsa-256'],
    [{ algo: 'rsa', size: 2048 } as const, 'rsa-2048'],
    [{ algo: 'ed25519' } as const, 'ed25519'],
  ])('describes %j as cfssl logs it: %s', (spec, text) => {
    expect(describeKeySpec(spec)).toBe(text);
  });
});
