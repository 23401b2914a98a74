import type { KeyExportOptions, KeyObject } from 'node:crypto';
import { PEM_LABELS, encodePem, type Der, type Pem } from '../pem/pem.js';
import type { KeyPair, KeyFormat } from './types.js';

/**
 * The private key as PEM. `cfssl` (default) writes what cfssl writes: SEC1 `EC PRIVATE KEY` with
 * curve and public key (Go's x509.MarshalECPrivateKey), PKCS#1 `RSA PRIVATE KEY`, PKCS#8 under
 * cfssl 1.6's label `Ed25519 PRIVATE KEY` for Ed25519; `pkcs8` writes PKCS#8 `PRIVATE KEY` for
 * every algorithm; `portable` is `cfssl` but for Ed25519's label (`PRIVATE KEY`, as openssl reads).
 */
export function encodePrivateKey(key: KeyPair, format: KeyFormat = 'cfssl'): Pem {
  if (format === 'pkcs8' || (format === 'portable' && key.spec.algo === 'ed25519')) {
    return encodePem(PEM_LABELS.privateKey, exportDer(key.privateKey, 'pkcs8'));
  }
  if (key.cfsslDer) return encodePem(CFSSL_LABEL[key.spec.algo], key.cfsslDer);
  if (key.spec.algo === 'ed25519') return encodePem(PEM_LABELS.ed25519PrivateKey, exportDer(key.privateKey, 'pkcs8'));
  if (key.spec.algo === 'ecdsa') return encodePem(PEM_LABELS.ecPrivateKey, exportDer(key.privateKey, 'sec1'));
  return encodePem(PEM_LABELS.rsaPrivateKey, exportDer(key.privateKey, 'pkcs1'));
}

/** The SubjectPublicKeyInfo (RFC 5280 4.1.2.7) of a key pair, DER. */
export function subjectPublicKeyInfo(key: KeyPair): Der {
  return key.spki ?? new Uint8Array(key.publicKey.export({ type: 'spki', format: 'der' }));
}

const CFSSL_LABEL = {
  ecdsa: PEM_LABELS.ecPrivateKey,
  rsa: PEM_LABELS.rsaPrivateKey,
  ed25519: PEM_LABELS.ed25519PrivateKey,
} as const;

function exportDer(key: KeyObject, type: 'pkcs8' | 'sec1' | 'pkcs1'): Der {
  return new Uint8Array(key.export({ type, format: 'der' } as KeyExportOptions<'der'>));
}
