import { createPrivateKey, createPublicKey, generateKeyPair as nodeGenerateKeyPair, type KeyObject } from 'node:crypto';
import type { Der } from '../pem/pem.js';
import { ECDSA_CURVES, type KeySpec } from './algorithms.js';
import { ecKeyDer } from './ec-der.js';
import type { KeyPair } from './types.js';

/** The encoding cfssl writes each algorithm's private key in. */
const CFSSL_PRIVATE_TYPE = { ecdsa: 'sec1', rsa: 'pkcs1', ed25519: 'pkcs8' } as const;

/**
 * Generates a key pair of `spec`. Runs on libuv's thread pool, so concurrent calls use every core;
 * the pair comes back with its encodings (SPKI and cfssl's private key encoding). The spec must
 * already be validated (see csr/ rules).
 */
export function generateKeyPair(spec: KeySpec): Promise<KeyPair> {
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, spki: Buffer, privateDer: Buffer) => {
      if (error) reject(error);
      else resolve(encodedKeyPair(spec, new Uint8Array(spki), new Uint8Array(privateDer)));
    };
    switch (spec.algo) {
      case 'ecdsa':
        // Encoded here from the JWK rather than by OpenSSL's encoders (see ec-der.ts).
        nodeGenerateKeyPair('ec', { namedCurve: ECDSA_CURVES[spec.size].nodeCurve }, (error, publicKey, privateKey) => {
          if (error) return reject(error);
          try {
            const { spki, sec1 } = ecKeyDer(spec.size, privateKey.export({ format: 'jwk' }));
            resolve({ spec, spki, cfsslDer: sec1, privateKey, publicKey });
          } catch (cause) {
            reject(cause);
          }
        });
        break;
      case 'rsa':
        nodeGenerateKeyPair(
          'rsa',
          { modulusLength: spec.size, publicExponent: 65537, publicKeyEncoding, privateKeyEncoding: { type: 'pkcs1', format: 'der' } },
          done,
        );
        break;
      case 'ed25519':
        nodeGenerateKeyPair('ed25519', { publicKeyEncoding, privateKeyEncoding: { type: 'pkcs8', format: 'der' } }, done);
        break;
    }
  });
}

/** A key pair from its encodings; the key objects are decoded on first use. */
function encodedKeyPair(spec: KeySpec, spki: Der, cfsslDer: Der): KeyPair {
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject | undefined;
  return {
    spec,
    spki,
    cfsslDer,
    get privateKey() {
      privateKey ??= createPrivateKey({ key: Buffer.from(cfsslDer), format: 'der', type: CFSSL_PRIVATE_TYPE[spec.algo] });
      return privateKey;
    },
    get publicKey() {
      publicKey ??= createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      return publicKey;
    },
  };
}
