import type { KeyObject } from 'node:crypto';
import { PkiError } from '../errors.js';
import { ECDSA_CURVES, RSA_MIN_BITS, type EcdsaSize, type KeySpec } from './algorithms.js';

/**
 * The spec of an existing key (from its curve, modulus or type).
 * @throws PkiError KEY_UNSUPPORTED for curves and key types cfssl does not issue with,
 * KEY_TOO_WEAK for RSA keys under RSA_MIN_BITS (cfssl's own minimum for the keys it makes).
 */
export function keySpecOf(key: KeyObject, file?: string): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const entry = Object.entries(ECDSA_CURVES).find(([, c]) => c.nodeCurve === details.namedCurve);
      if (!entry) {
        throw new PkiError('KEY_UNSUPPORTED', `unsupported elliptic curve ${details.namedCurve ?? '(unnamed)'}`, {
          file,
          hint: 'use P-256, P-384 or P-521',
        });
      }
      return { algo: 'ecdsa', size: Number(entry[0]) as EcdsaSize };
    }
    case 'rsa': {
      const size = details.modulusLength ?? 0;
      if (size < RSA_MIN_BITS) {
        throw new PkiError('KEY_TOO_WEAK', `the RSA key has ${size} bits, too few to be safe`, {
          file,
          hint: `use a key of ${RSA_MIN_BITS} bits or more`,
        });
      }
      return { algo: 'rsa', size };
    }
    case 'ed25519':
      return { algo: 'ed25519' };
    default:
      throw new PkiError('KEY_UNSUPPORTED', `unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`, {
        file,
        hint: 'use an ECDSA, RSA or Ed25519 key',
      });
  }
}
