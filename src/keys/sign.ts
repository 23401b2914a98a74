import { sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { PkiCrypto } from '../crypto.js';
import type { SignatureAlgorithm } from './algorithms.js';

/**
 * Signs `data` with `algorithm` (DER-encoded ECDSA signatures, as X.509 requires): through
 * `crypto`, which batches the signatures of one run onto the thread pool, or at once without it.
 */
export async function signBytes(
  privateKey: KeyObject,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  crypto?: PkiCrypto,
): Promise<Uint8Array> {
  if (crypto) return crypto.sign(algorithm.hash ?? null, privateKey, data);
  return nodeSign(algorithm.hash ?? null, data, { key: privateKey, dsaEncoding: 'der' });
}

/** True when `signature` over `data` verifies with `publicKey` under `algorithm`. */
export function verifyBytes(
  publicKey: KeyObject,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  return new Promise((resolve) => {
    nodeVerify(algorithm.hash ?? null, data, { key: publicKey, dsaEncoding: 'der' }, signature, (error, ok) => {
      resolve(!error && ok);
    });
  });
}
