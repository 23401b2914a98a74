import { hash } from 'node:crypto';

/**
 * The crypto seam: made once by the caller and passed down; nothing here is global. Key
 * generation and signatures use `node:crypto` key objects directly (see keys/); certificates and
 * requests are read and written as DER by asn1/ and x509/, so no WebCrypto provider or ASN.1
 * library is needed at run time (pkijs and asn1js are the tests' independent oracles).
 */
export interface PkiCrypto {
  /** SHA-1 (key identifiers, RFC 5280 4.2.1.2 method 1). */
  sha1(data: Uint8Array): Promise<Uint8Array>;
  /** SHA-256 (fingerprints). */
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

/** Makes the crypto seam. Call once per program (or per test) and pass the result down. */
export function createPkiCrypto(): PkiCrypto {
  // node's one-shot hash: no Hash object per digest (a key identifier per certificate in bulk).
  const digest = (algorithm: 'sha1' | 'sha256', data: Uint8Array): Promise<Uint8Array> =>
    Promise.resolve(hash(algorithm, data, 'buffer'));
  return {
    sha1: (data) => digest('sha1', data),
    sha256: (data) => digest('sha256', data),
  };
}

/** The crypto seam used when a public function is called without one: stateless, so a new one each time. */
export function defaultPkiCrypto(): PkiCrypto {
  return createPkiCrypto();
}
