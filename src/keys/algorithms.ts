import { OID } from '../asn1/oids.js';

/** The key a request asks for, as cfssl's `key` object names it after validation. */
export type KeySpec =
  { readonly algo: 'ecdsa'; readonly size: EcdsaSize } | { readonly algo: 'rsa'; readonly size: number } | { readonly algo: 'ed25519' };

export type KeyAlgorithm = KeySpec['algo'];
export type EcdsaSize = 256 | 384 | 521;
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** cfssl's default when a request has no `key`: ECDSA P-256. */
export const DEFAULT_KEY_SPEC: KeySpec = { algo: 'ecdsa', size: 256 };

/** cfssl's RSA bounds (csr.BasicKeyRequest.Generate): at least 2048 bits, at most 8192. */
export const RSA_MIN_BITS = 2048;
export const RSA_MAX_BITS = 8192;

/**
 * ECDSA key size -> curve names, the octets of the private scalar and of each public coordinate
 * (SEC 1 2.3.5 and C.4 pad both to the curve's size), and the signature algorithm cfssl pairs with it.
 */
export const ECDSA_CURVES = {
  256: { curve: 'P-256', nodeCurve: 'prime256v1', oid: OID.secp256r1, octets: 32, hash: 'sha256', signature: 'ecdsaWithSHA256' },
  384: { curve: 'P-384', nodeCurve: 'secp384r1', oid: OID.secp384r1, octets: 48, hash: 'sha384', signature: 'ecdsaWithSHA384' },
  521: { curve: 'P-521', nodeCurve: 'secp521r1', oid: OID.secp521r1, octets: 66, hash: 'sha512', signature: 'ecdsaWithSHA512' },
} as const satisfies Record<
  EcdsaSize,
  { curve: string; nodeCurve: string; oid: string; octets: number; hash: HashName; signature: string }
>;

/**
 * Signature algorithms by cfssl's names (helpers.SignatureString), with their OID, hash and
 * whether the AlgorithmIdentifier carries NULL parameters (RSA, RFC 8017 A.2.4) or none
 * (ECDSA, RFC 5758 3.2; Ed25519, RFC 8410 3).
 */
export const SIGNATURE_ALGORITHMS = {
  sha1WithRSAEncryption: { name: 'SHA1WithRSA', oid: OID.sha1WithRSAEncryption, hash: 'sha1', nullParams: true },
  sha256WithRSAEncryption: { name: 'SHA256WithRSA', oid: OID.sha256WithRSAEncryption, hash: 'sha256', nullParams: true },
  sha384WithRSAEncryption: { name: 'SHA384WithRSA', oid: OID.sha384WithRSAEncryption, hash: 'sha384', nullParams: true },
  sha512WithRSAEncryption: { name: 'SHA512WithRSA', oid: OID.sha512WithRSAEncryption, hash: 'sha512', nullParams: true },
  ecdsaWithSHA1: { name: 'ECDSAWithSHA1', oid: OID.ecdsaWithSHA1, hash: 'sha1', nullParams: false },
  ecdsaWithSHA256: { name: 'ECDSAWithSHA256', oid: OID.ecdsaWithSHA256, hash: 'sha256', nullParams: false },
  ecdsaWithSHA384: { name: 'ECDSAWithSHA384', oid: OID.ecdsaWithSHA384, hash: 'sha384', nullParams: false },
  ecdsaWithSHA512: { name: 'ECDSAWithSHA512', oid: OID.ecdsaWithSHA512, hash: 'sha512', nullParams: false },
  ed25519: { name: 'Ed25519', oid: OID.ed25519, hash: undefined, nullParams: false },
} as const;

export type SignatureAlgorithmName = keyof typeof SIGNATURE_ALGORITHMS;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[SignatureAlgorithmName];

/**
 * The signature algorithm a key of `spec` signs with, as cfssl's signer.DefaultSigAlgo chooses:
 * RSA by modulus size (>= 4096 SHA-512, >= 3072 SHA-384, else SHA-256), ECDSA by curve.
 */
export function signatureAlgorithmFor(spec: KeySpec): SignatureAlgorithm {
  switch (spec.algo) {
    case 'ecdsa':
      return SIGNATURE_ALGORITHMS[ECDSA_CURVES[spec.size].signature];
    case 'rsa':
      if (spec.size >= 4096) return SIGNATURE_ALGORITHMS.sha512WithRSAEncryption;
      if (spec.size >= 3072) return SIGNATURE_ALGORITHMS.sha384WithRSAEncryption;
      return SIGNATURE_ALGORITHMS.sha256WithRSAEncryption;
    case 'ed25519':
      return SIGNATURE_ALGORITHMS.ed25519;
  }
}

/** The signature algorithm with this OID, if etcd-pki knows it. */
export function signatureAlgorithmByOid(oid: string): SignatureAlgorithm | undefined {
  return Object.values(SIGNATURE_ALGORITHMS).find((alg) => alg.oid === oid);
}

/** `ecdsa-256`, `rsa-2048`, `ed25519`: the way cfssl logs a key. */
export function describeKeySpec(spec: KeySpec): string {
  return spec.algo === 'ed25519' ? 'ed25519' : `${spec.algo}-${spec.size}`;
}
