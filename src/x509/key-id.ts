import type { PkiCrypto } from '../crypto.js';
import type { Der } from '../pem/pem.js';
import { TAG } from '../asn1/der.js';
import { bitStringOctets, childrenOf, wholeElement } from '../asn1/der-read.js';

/**
 * The key identifier cfssl and Go write: SHA-1 of the subjectPublicKey BIT STRING's bytes
 * (RFC 5280 4.2.1.2, method 1), without its unused-bits octet.
 */
export async function keyIdentifier(subjectPublicKeyInfo: Der, crypto: PkiCrypto): Promise<Uint8Array> {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  const [, bits] = childrenOf(subjectPublicKeyInfo, wholeElement(subjectPublicKeyInfo, TAG.sequence));
  if (bits?.tag !== TAG.bitString) throw new RangeError('not a SubjectPublicKeyInfo');
  return crypto.sha1(bitStringOctets(subjectPublicKeyInfo, bits));
}

/** `26:D2:65:...`: upper-case colon-separated hex, as cfssl certinfo prints key ids. */
export function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}
