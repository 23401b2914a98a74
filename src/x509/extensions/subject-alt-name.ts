import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import type { SubjectAltNames } from '../hosts.js';
import { ipToBytes } from '../ip.js';
import { OID } from '../oids.js';
import { contextPrimitive, makeExtension } from './extension.js';

/** GeneralName choice tags (RFC 5280 4.2.1.6). */
export const GENERAL_NAME_TAG = { rfc822Name: 1, dNSName: 2, uniformResourceIdentifier: 6, iPAddress: 7 } as const;

/** The GeneralNames of `sans`, in Go's order: DNS, email, IP, URI. */
export function generalNames(sans: SubjectAltNames): asn1js.Sequence {
  const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
  return new asn1js.Sequence({
    value: [
      ...sans.dns.map((name) => contextPrimitive(GENERAL_NAME_TAG.dNSName, ascii(name))),
      ...sans.email.map((email) => contextPrimitive(GENERAL_NAME_TAG.rfc822Name, ascii(email))),
      ...sans.ip.map((ip) => contextPrimitive(GENERAL_NAME_TAG.iPAddress, ipToBytes(ip)!)),
      ...sans.uri.map((uri) => contextPrimitive(GENERAL_NAME_TAG.uniformResourceIdentifier, ascii(uri))),
    ],
  });
}

export function hasSans(sans: SubjectAltNames): boolean {
  return sans.dns.length + sans.email.length + sans.ip.length + sans.uri.length > 0;
}

/** SubjectAltName (RFC 5280 4.2.1.6); critical only when the subject is empty, as required there. */
export function subjectAltNameExtension(sans: SubjectAltNames, subjectIsEmpty: boolean): pkijs.Extension {
  return makeExtension(OID.subjectAltName, subjectIsEmpty, generalNames(sans));
}
