import { sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';

/**
 * Signs `data` with `algorithm` (DER-encoded ECDSA signatures, as X.509 requires).
 * Uses the callback form so signatures run on libuv's thread pool.
 */
export function signBytes(privateKey: KeyObject, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    submit(() => {
      try {
        nodeSign(algorithm.hash ?? null, data, { key: privateKey, dsaEncoding: 'der' }, (error, signature) => {
          if (error) reject(error);
          else resolve(signature);
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}

// Signatures asked for during one turn of the event loop, handed to the thread pool together.
// Handing one over wakes a sleeping pool thread (a futex wake, ~10 us of the main thread on a VM);
// in bulk issuance the pool sleeps between certificates, so one wake-up per signature cost more
// than the JS of the certificate. A burst keeps the pool's queue full and the threads awake.
let queued: Array<() => void> = [];

function submit(start: () => void): void {
  if (queued.length === 0) setImmediate(submitQueued);
  queued.push(start);
}

function submitQueued(): void {
  const starts = queued;
  queued = [];
  for (const start of starts) start();
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
