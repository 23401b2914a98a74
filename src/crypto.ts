import { Crypto } from '@peculiar/webcrypto';
import type { webcrypto as NodeWebCrypto } from 'node:crypto';
import * as pkijs from 'pkijs';

/**
 * The crypto seam: one WebCrypto provider and one pkijs engine, made once by the caller and passed
 * down. Nothing here is global: pkijs's `setEngine` stores its engine on `global`, so it is never
 * called. Key generation and signatures use `node:crypto` key objects directly (see keys/), since
 * pkijs knows no Ed25519 and WebCrypto cannot write SEC1/PKCS#1 as cfssl does.
 */
export interface PkiCrypto {
  readonly webcrypto: NodeWebCrypto.Crypto;
  readonly engine: pkijs.CryptoEngine;
  /** SHA-1 (key identifiers, RFC 5280 4.2.1.2 method 1). */
  sha1(data: Uint8Array): Promise<Uint8Array>;
  /** SHA-256 (fingerprints). */
  sha256(data: Uint8Array): Promise<Uint8Array>;
}

/** Makes the crypto seam. Call once per program (or per test) and pass the result down. */
export function createPkiCrypto(): PkiCrypto {
  const webcrypto = new Crypto() as unknown as NodeWebCrypto.Crypto;
  const engine = new pkijs.CryptoEngine({ name: 'etcd-pki', crypto: webcrypto });
  const digest = async (name: string, data: Uint8Array) =>
    new Uint8Array(await engine.digest({ name }, data as Uint8Array<ArrayBuffer>));
  return {
    webcrypto,
    engine,
    sha1: (data) => digest('SHA-1', data),
    sha256: (data) => digest('SHA-256', data),
  };
}

let defaultCrypto: PkiCrypto | undefined;

/** The crypto seam used when a public function is called without one: made on first use only. */
export function defaultPkiCrypto(): PkiCrypto {
  defaultCrypto ??= createPkiCrypto();
  return defaultCrypto;
}
