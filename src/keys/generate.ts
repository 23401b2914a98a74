import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPair as nodeGenerateKeyPair,
  type ECDH,
  type KeyObject,
} from 'node:crypto';
import { PkiError } from '../errors.js';
import type { Der } from '../pem/pem.js';
import { ECDSA_CURVES, type EcdsaSize, type KeySpec } from './algorithms.js';
import { ecKeyDer } from './ec-der.js';
import type { KeyPair } from './types.js';

/** The encoding cfssl writes each algorithm's private key in. */
const CFSSL_PRIVATE_TYPE = { ecdsa: 'sec1', rsa: 'pkcs1', ed25519: 'pkcs8' } as const;

/**
 * Generates a key pair of `spec`; the pair comes back with its encodings (SPKI and cfssl's private
 * key encoding), its key objects are made on first use. P-256 keys are made at once on the calling
 * thread (see generateP256); other keys on libuv's thread pool, so concurrent calls use every core.
 * The spec must already be validated (see csr/ rules).
 */
export function generateKeyPair(spec: KeySpec): Promise<KeyPair> {
  if (typeof spec !== 'object' || spec === null) {
    return Promise.reject(new PkiError('KEY_UNSUPPORTED', 'no key spec given', { hint: 'pass {algo: "ecdsa", size: 256}' }));
  }
  if (spec.algo === 'ecdsa' && !Object.hasOwn(ECDSA_CURVES, String(spec.size))) {
    return Promise.reject(
      new PkiError('KEY_UNSUPPORTED', `no ECDSA curve of size ${JSON.stringify(spec.size ?? null)}`, { hint: 'use 256, 384 or 521' }),
    );
  }
  if (spec.algo === 'ecdsa' && spec.size === 256) {
    try {
      return Promise.resolve(generateP256());
    } catch (cause) {
      return Promise.reject(cause);
    }
  }
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, spki: Buffer, privateDer: Buffer) => {
      if (error) reject(error);
      else resolve(encodedKeyPair(spec, new Uint8Array(spki), new Uint8Array(privateDer)));
    };
    switch (spec.algo) {
      case 'ecdsa':
        // OpenSSL 3 writes SPKI through its encoder framework at ~150 us a key on the main thread;
        // the JWK's numbers, encoded by ec-der.ts, cost a fraction of that. Only here, inside the
        // callback of the asynchronous form: after the synchronous one, a JWK export can deadlock
        // Node 20 (test/keys/no-sync-keygen.test.ts).
        nodeGenerateKeyPair('ec', { namedCurve: ECDSA_CURVES[spec.size].nodeCurve }, (error, publicKey, privateKey) => {
          if (error) return reject(error);
          try {
            const jwk = privateKey.export({ format: 'jwk' });
            const point = Buffer.concat([Uint8Array.of(0x04), base64url(jwk.x), base64url(jwk.y)]);
            const { spki, sec1 } = ecKeyDer(spec.size, base64url(jwk.d), point);
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
      default:
        // An unvalidated spec ({} or {algo: 'ECDSA'}) settles too, rather than never (issue 18).
        reject(
          new PkiError('KEY_UNSUPPORTED', `no key algorithm ${JSON.stringify((spec as { algo?: unknown }).algo ?? null)}`, {
            hint: 'use "ecdsa", "rsa" or "ed25519" (lower case), as cfssl does',
          }),
        );
    }
  });
}

let p256: ECDH | undefined;

/**
 * A P-256 key pair from OpenSSL's EC key generation through node's ECDH (the same random scalar
 * and constant-time multiplication as any EC key generation, here with P-256's assembly
 * implementation: ~20 us). A key from the thread pool costs more main-thread time than that: the
 * job's hand-over and OpenSSL 3's conversion of the new key for export (~40 us) both happen on
 * the main thread, besides ~45 us on the pool. One ECDH object is reused; generateKeys()
 * replaces its key each call, and nothing else reads it.
 */
function generateP256(): KeyPair {
  p256 ??= createECDH(ECDSA_CURVES[256].nodeCurve);
  // generateKeys() returns the public point, uncompressed; asking again would convert it again.
  const publicPoint = p256.generateKeys();
  const { spki, sec1 } = ecKeyDer(256 satisfies EcdsaSize, p256.getPrivateKey(), publicPoint);
  return encodedKeyPair({ algo: 'ecdsa', size: 256 }, spki, sec1);
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

function base64url(value: string | undefined): Uint8Array {
  if (value === undefined) throw new TypeError('incomplete EC JWK');
  return Buffer.from(value, 'base64url');
}
