import { hash, sign as nodeSign, type KeyObject } from 'node:crypto';

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
  /**
   * Signs `data` with `privateKey` and `hashName` (`null` for Ed25519); ECDSA signatures DER-encoded,
   * as X.509 requires. Signatures asked for in one event-loop turn go to libuv's thread pool
   * together, using every core; a lone one is made at once.
   */
  sign(hashName: string | null, privateKey: KeyObject, data: Uint8Array): Promise<Uint8Array>;
}

interface SignRequest {
  readonly hashName: string | null;
  readonly privateKey: KeyObject;
  readonly data: Uint8Array;
  resolve(signature: Uint8Array): void;
  reject(error: unknown): void;
}

/** Makes the crypto seam. Call once per program (or per test) and pass the result down. */
export function createPkiCrypto(): PkiCrypto {
  // node's one-shot hash: no Hash object per digest (a key identifier per certificate in bulk).
  const digest = (algorithm: 'sha1' | 'sha256', data: Uint8Array): Promise<Uint8Array> => Promise.resolve(hash(algorithm, data, 'buffer'));
  // Signatures asked for during one turn of the event loop, handed to the thread pool together.
  // Handing one over wakes a sleeping pool thread (a futex wake, costly on a VM); in bulk issuance
  // the pool sleeps between certificates, so one wake-up per signature cost more than the
  // certificate's JavaScript. A burst keeps the pool's queue full and its threads awake. A
  // signature alone in its turn (gencert's request, then its certificate) is made right here: a
  // round trip through the pool would only add its hand-over to the wait. The queue belongs to
  // this PkiCrypto, made for one run.
  let queued: SignRequest[] = [];
  const signQueued = (): void => {
    const requests = queued;
    queued = [];
    const lone = requests.length === 1;
    for (const { hashName, privateKey, data, resolve, reject } of requests) {
      const options = { key: privateKey, dsaEncoding: 'der' } as const;
      try {
        if (lone) resolve(nodeSign(hashName, data, options));
        else nodeSign(hashName, data, options, (error, signature) => (error ? reject(error) : resolve(signature)));
      } catch (error) {
        reject(error);
      }
    }
  };
  return {
    sha1: (data) => digest('sha1', data),
    sha256: (data) => digest('sha256', data),
    sign: (hashName, privateKey, data) =>
      new Promise((resolve, reject) => {
        if (queued.length === 0) setImmediate(signQueued);
        queued.push({ hashName, privateKey, data, resolve, reject });
      }),
  };
}

let sharedCrypto: PkiCrypto | undefined;

/**
 * The crypto seam used when a public function is called without one: one instance for every such
 * call, made on first use, so that certificates issued concurrently without a seam still share
 * one signature batch (bench: library bulk issuance). Pass your own for a run of your own.
 */
export function defaultPkiCrypto(): PkiCrypto {
  sharedCrypto ??= createPkiCrypto();
  return sharedCrypto;
}
