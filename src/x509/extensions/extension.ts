import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** A certificate extension, built by the functions of x509/extensions/. */
export type CertificateExtension = pkijs.Extension;

/** A certificate extension (RFC 5280 4.1: extnID, critical DEFAULT FALSE, extnValue). */
export function makeExtension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
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
