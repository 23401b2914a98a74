import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids.js';
import { contextPrimitive, makeExtension } from './extension.js';

/** SubjectKeyIdentifier (RFC 5280 4.2.1.2), not critical. */
export function subjectKeyIdentifierExtension(keyId: Uint8Array): pkijs.Extension {
  return makeExtension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyId.slice().buffer }));
}

/** AuthorityKeyIdentifier (RFC 5280 4.2.1.1) with keyIdentifier [0] only, as Go writes it. */
export function authorityKeyIdentifierExtension(keyId: Uint8Array): pkijs.Extension {
  return makeExtension(OID.authorityKeyIdentifier, false, new asn1js.Sequence({ value: [contextPrimitive(0, keyId)] }));
}
