import { sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';

/**
 * Signs `data` with `algorithm` (DER-encoded ECDSA signatures, as X.509 requires). Signatures
 * asked for together run on libuv's thread pool, using every core; a lone one runs at once.
 */
export function signBytes(privateKey: KeyObject, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (queued.length === 0) setImmediate(signQueued);
    queued.push({ privateKey, algorithm, data, resolve, reject });
  });
}

interface SignRequest {
  readonly privateKey: KeyObject;
  readonly algorithm: SignatureAlgorithm;
  readonly data: Uint8Array;
  resolve(signature: Uint8Array): void;
  reject(error: unknown): void;
}

// Signatures asked for during one turn of the event loop, handed to the thread pool together.
// Handing one over wakes a sleeping pool thread (a futex wake, ~10 us of the main thread on a VM);
// in bulk issuance the pool sleeps between certificates, so one wake-up per signature cost more
// than the JS of the certificate. A burst keeps the pool's queue full and the threads awake.
// A signature alone in its turn (gencert's request, then its certificate) is made right here:
// a round trip through the pool would only add its hand-over to the wait.
let queued: SignRequest[] = [];

function signQueued(): void {
  const requests = queued;
  queued = [];
  const lone = requests.length === 1;
  for (const { privateKey, algorithm, data, resolve, reject } of requests) {
    const options = { key: privateKey, dsaEncoding: 'der' } as const;
    try {
      if (lone) {
        resolve(nodeSign(algorithm.hash ?? null, data, options));
        continue;
      }
      nodeSign(algorithm.hash ?? null, data, options, (error, signature) => (error ? reject(error) : resolve(signature)));
    } catch (error) {
      reject(error);
    }
  }
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
