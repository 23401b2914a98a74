import { BOOLEAN_TRUE, TAG, objectIdentifier, tlv } from '../../asn1/der.js';

/**
 * A certificate extension as written (RFC 5280 4.1):
 * `Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
 * Plain bytes rather than pkijs objects: issuing writes them as they are.
 */
export interface CertificateExtension {
  readonly extnID: string;
  readonly critical: boolean;
  /** DER of the value that extnValue's OCTET STRING holds. */
  readonly value: Uint8Array;
  /** DER of the whole Extension. */
  readonly der: Uint8Array;
}

/** An extension whose value is already DER; `critical` is written only when true (DEFAULT FALSE). */
export function certificateExtension(extnID: string, critical: boolean, value: Uint8Array): CertificateExtension {
  const der = critical
    ? tlv(TAG.sequence, objectIdentifier(extnID), BOOLEAN_TRUE, tlv(TAG.octetString, value))
    : tlv(TAG.sequence, objectIdentifier(extnID), tlv(TAG.octetString, value));
  return { extnID, critical, value, der };
}

/**
 * `make(key)`, made once per distinct key: extensions that are the same for every certificate of
 * a profile (key usage, extended key usage, basic constraints) are built once in bulk issuance.
 * Callers never mutate what they get.
 */
export function memoised<K, V>(make: (key: K) => V): (key: K) => V {
  const made = new Map<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}
