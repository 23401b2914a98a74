import { sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';

/**
 * Signs `data` with `algorithm` (DER-encoded ECDSA signatures, as X.509 requires).
 * Uses the callback form so signatures run on libuv's thread pool.
 */
export function signBytes(privateKey: KeyObject, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    nodeSign(algorithm.hash ?? null, data, { key: privateKey, dsaEncoding: 'der' }, (error, signature) => {
      if (error) reject(error);
      else resolve(new Uint8Array(signature));
    });
  });
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
