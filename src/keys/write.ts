import type { KeyExportOptions, KeyObject } from 'node:crypto';
import { PEM_LABELS, encodePem, type Der, type Pem } from '../pem/pem.js';
import type { KeyPair, KeyFormat } from './types.js';

/**
 * The private key as PEM. `cfssl` (default) writes what cfssl writes: SEC1 `EC PRIVATE KEY` with
 * curve and public key (Go's x509.MarshalECPrivateKey), PKCS#1 `RSA PRIVATE KEY`, PKCS#8
 * `PRIVATE KEY` for Ed25519; `pkcs8` writes PKCS#8 for every algorithm.
 */
export function encodePrivateKey(key: KeyPair, format: KeyFormat = 'cfssl'): Pem {
  if (format === 'pkcs8' || key.spec.algo === 'ed25519') {
    return encodePem(PEM_LABELS.privateKey, exportDer(key.privateKey, 'pkcs8'));
  }
  if (key.spec.algo === 'ecdsa') return encodePem(PEM_LABELS.ecPrivateKey, exportDer(key.privateKey, 'sec1'));
  return encodePem(PEM_LABELS.rsaPrivateKey, exportDer(key.privateKey, 'pkcs1'));
}

/** The SubjectPublicKeyInfo (RFC 5280 4.1.2.7) of a key, DER. */
export function subjectPublicKeyInfo(publicKey: KeyObject): Der {
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

function exportDer(key: KeyObject, type: 'pkcs8' | 'sec1' | 'pkcs1'): Der {
  return new Uint8Array(key.export({ type, format: 'der' } as KeyExportOptions<'der'>));
}
