import type { KeyObject } from 'node:crypto';
import type { KeySpec } from './algorithms.js';

/** A private key with its public half and the spec it satisfies. */
export interface KeyPair {
  readonly spec: KeySpec;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * How a private key is written: `cfssl` writes what cfssl writes (SEC1 `EC PRIVATE KEY`,
 * PKCS#1 `RSA PRIVATE KEY`, PKCS#8 `PRIVATE KEY` for Ed25519); `pkcs8` always writes PKCS#8.
 */
export type KeyFormat = 'cfssl' | 'pkcs8';
