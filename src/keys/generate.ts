import { generateKeyPair as nodeGenerateKeyPair, type KeyObject } from 'node:crypto';
import { ECDSA_CURVES, type KeySpec } from './algorithms.js';
import type { KeyPair } from './types.js';

/**
 * Generates a key pair of `spec`. Runs on libuv's thread pool, so concurrent calls use every core.
 * The spec must already be validated (see csr/ rules): sizes are not re-checked here.
 */
export function generateKeyPair(spec: KeySpec): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject) => {
      if (error) reject(error);
      else resolve({ spec, privateKey, publicKey });
    };
    switch (spec.algo) {
      case 'ecdsa':
        nodeGenerateKeyPair('ec', { namedCurve: ECDSA_CURVES[spec.size].nodeCurve }, done);
        break;
      case 'rsa':
        nodeGenerateKeyPair('rsa', { modulusLength: spec.size, publicExponent: 65537 }, done);
        break;
      case 'ed25519':
        nodeGenerateKeyPair('ed25519', {}, done);
        break;
    }
  });
}
