import { hash, type webcrypto as NodeWebCrypto } from 'node:crypto';
import type * as pkijs from 'pkijs';

/**
 * The crypto seam: made once by the caller and passed down; nothing here is global (pkijs's
 * `setEngine` stores its engine on `global`, so it is never called). Key generation and
 * signatures use `node:crypto` key objects directly (see keys/), since pkijs knows no Ed25519 and
 * WebCrypto cannot write SEC1/PKCS#1 as cfssl does. The WebCrypto provider and the pkijs engine
 * over it, for pkijs operations such as chain validation, are built on first use only: issuing a
 * certificate does not need them, and building them costs start-up time.
 */
export interface PkiCrypto {
  /** The @peculiar/webcrypto provider (loaded on first call). */
  webcrypto(): Promise<NodeWebCrypto.Crypto>;
  /** The pkijs engine over that provider; pass it to pkijs calls instead of setting a global. */
  engine(): Promise<pkijs.CryptoEngine>;
  /** SHA-1 (key identifiers, RFC 5280 4.2.1.2 method 1). */
  sha1(data: Uint8Array): Promise<Uint8Array>;
  /** SHA-256 (fingerprints). */
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

/** Makes the crypto seam. Call once per program (or per test) and pass the result down. */
export function createPkiCrypto(): PkiCrypto {
  let provider: Promise<NodeWebCrypto.Crypto> | undefined;
  let engine: Promise<pkijs.CryptoEngine> | undefined;
  const webcrypto = () =>
    (provider ??= import('@peculiar/webcrypto').then(({ Crypto }) => new Crypto() as unknown as NodeWebCrypto.Crypto));
  // node's one-shot hash: no Hash object per digest (a key identifier per certificate in bulk).
  const digest = (algorithm: 'sha1' | 'sha256', data: Uint8Array): Promise<Uint8Array> =>
    Promise.resolve(hash(algorithm, data, 'buffer'));
  return {
    webcrypto,
    // pkijs is loaded here and nowhere else: evaluating it (with asn1js and its hashes) costs
    // start-up time that issuing, which reads and writes DER itself, does not need.
    engine: () =>
      (engine ??= Promise.all([webcrypto(), import('pkijs')]).then(([crypto, { CryptoEngine }]) => new CryptoEngine({ name: 'etcd-pki', crypto }))),
    sha1: (data) => digest('sha1', data),
    sha256: (data) => digest('sha256', data),
  };
}

let defaultCrypto: PkiCrypto | undefined;

/** The crypto seam used when a public function is called without one: made on first use only. */
export function defaultPkiCrypto(): PkiCrypto {
  defaultCrypto ??= createPkiCrypto();
  return defaultCrypto;
}
