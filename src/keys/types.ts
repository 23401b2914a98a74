import type { KeyObject } from 'node:crypto';
import type { Der } from '../pem/pem.js';
import type { KeySpec } from './algorithms.js';

/**
 * A private key with its public half and the spec it satisfies. A freshly generated pair also
 * carries its encodings (see generate.ts), so that writing the key and certifying it
 * need no further (slow, OpenSSL 3) encoding; the key objects of P-256, RSA and Ed25519 pairs are
 * then built only when first used (when the key signs something, for instance).
 */
export interface KeyPair {
  readonly spec: KeySpec;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo, when known already. */
  readonly spki?: Der;
  /** The private key in cfssl's encoding (SEC1, PKCS#1, PKCS#8 for Ed25519), when known already. */
  readonly cfsslDer?: Der;
}

/**
 * How a private key is written: `cfssl` writes what cfssl 1.6.5 writes (SEC1 `EC PRIVATE KEY`,
 * PKCS#1 `RSA PRIVATE KEY`, PKCS#8 under `Ed25519 PRIVATE KEY`); `portable` the same but Ed25519
 * as PKCS#8 `PRIVATE KEY`, which openssl reads too (etcd-pki's own bundles); `pkcs8` always
 * writes PKCS#8 `PRIVATE KEY`.
 */
export type KeyFormat = 'cfssl' | 'portable' | 'pkcs8';
