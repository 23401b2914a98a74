import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { TAG, tlv } from '../der.js';

/** A certificate extension, built by the functions of x509/extensions/. */
export type CertificateExtension = pkijs.Extension;

// The DER of each extension made here, written once (see extensionDer).
const encoded = new WeakMap<pkijs.Extension, Uint8Array>();
const BOOLEAN_TRUE = Uint8Array.of(0x01, 0x01, 0xff);
const OCTET_STRING_TAG = 0x04;
// X.690 8.1.2: class context-specific (10), primitive; tag numbers below 31 fit the same octet.
const CONTEXT_PRIMITIVE = 0x80;

/** A certificate extension (RFC 5280 4.1: extnID, critical DEFAULT FALSE, extnValue). */
export function makeExtension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return extensionFromDer(extnID, critical, new Uint8Array(value.toBER()));
}

const oidDer = new Map<string, Uint8Array>();

/**
 * A certificate extension whose value is already DER: the hot path of bulk issuance (SAN, key
 * identifiers), which writes values with der.ts instead of building asn1js objects.
 */
export function extensionFromDer(extnID: string, critical: boolean, valueDer: Uint8Array): pkijs.Extension {
  const extension = new pkijs.Extension({ extnID, critical, extnValue: valueDer.slice().buffer });
  let oid = oidDer.get(extnID);
  if (!oid) {
    oid = new Uint8Array(new asn1js.ObjectIdentifier({ value: extnID }).toBER());
    oidDer.set(extnID, oid);
  }
  encoded.set(extension, tlv(TAG.sequence, oid, ...(critical ? [BOOLEAN_TRUE] : []), tlv(OCTET_STRING_TAG, valueDer)));
  return extension;
}

/** A context-specific primitive TLV as DER (an IMPLICIT tag on a GeneralName choice, for instance). */
export function contextPrimitiveDer(tagNumber: number, bytes: Uint8Array): Uint8Array {
  return tlv(CONTEXT_PRIMITIVE | tagNumber, bytes);
}

/** The DER of an extension: the bytes made with it when it was made here, else pkijs's encoding. */
export function extensionDer(extension: pkijs.Extension): Uint8Array {
  return encoded.get(extension) ?? new Uint8Array(extension.toSchema().toBER());
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

/** A context-specific primitive (an IMPLICIT tag on a GeneralName choice, for instance). */
export function contextPrimitive(tagNumber: number, bytes: Uint8Array): asn1js.Primitive {
  return new asn1js.Primitive({
    idBlock: { tagClass: 3, tagNumber },
    valueHex: bytes.slice().buffer,
  });
}

/** The DER bytes of an extension's value, for reading extensions back. */
export function extensionValue(extension: pkijs.Extension): Uint8Array {
  return new Uint8Array(extension.extnValue.valueBlock.valueHexView);
}
