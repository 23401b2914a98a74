import * as asn1js from 'asn1js';
import type { PkiCrypto } from '../crypto.js';
import type { Der } from '../pem/pem.js';

/**
 * The key identifier cfssl and Go write: SHA-1 of the subjectPublicKey BIT STRING's bytes
 * (RFC 5280 4.2.1.2, method 1).
 */
export async function keyIdentifier(subjectPublicKeyInfo: Der, crypto: PkiCrypto): Promise<Uint8Array> {
  const spki = asn1js.fromBER(subjectPublicKeyInfo as Uint8Array<ArrayBuffer>).result as asn1js.Sequence;
  const bits = spki.valueBlock.value[1] as asn1js.BitString;
  return crypto.sha1(new Uint8Array(bits.valueBlock.valueHexView));
}

/** `26:D2:65:...`: upper-case colon-separated hex, as cfssl certinfo prints key ids. */
export function colonHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}
