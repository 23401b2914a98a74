import type * as pkijs from 'pkijs';
import type { SubjectAltNames } from '../hosts.js';
import { ipToBytes } from '../ip.js';
import { OID } from '../oids.js';
import { TAG, tlv } from '../der.js';
import { contextPrimitiveDer, extensionFromDer } from './extension.js';

/** GeneralName choice tags (RFC 5280 4.2.1.6). */
export const GENERAL_NAME_TAG = { rfc822Name: 1, dNSName: 2, uniformResourceIdentifier: 6, iPAddress: 7 } as const;

/** The DER GeneralNames of `sans`, in Go's order: DNS, email, IP, URI. */
export function generalNamesDer(sans: SubjectAltNames): Uint8Array {
  const ascii = (text: string) => Buffer.from(text, 'latin1');
  return tlv(
    TAG.sequence,
    ...sans.dns.map((name) => contextPrimitiveDer(GENERAL_NAME_TAG.dNSName, ascii(name))),
    ...sans.email.map((email) => contextPrimitiveDer(GENERAL_NAME_TAG.rfc822Name, ascii(email))),
    ...sans.ip.map((ip) => contextPrimitiveDer(GENERAL_NAME_TAG.iPAddress, ipToBytes(ip)!)),
    ...sans.uri.map((uri) => contextPrimitiveDer(GENERAL_NAME_TAG.uniformResourceIdentifier, ascii(uri))),
  );
}

export function hasSans(sans: SubjectAltNames): boolean {
  return sans.dns.length + sans.email.length + sans.ip.length + sans.uri.length > 0;
}

/** SubjectAltName (RFC 5280 4.2.1.6); critical only when the subject is empty, as required there. */
export function subjectAltNameExtension(sans: SubjectAltNames, subjectIsEmpty: boolean): pkijs.Extension {
  return extensionFromDer(OID.subjectAltName, subjectIsEmpty, generalNamesDer(sans));
}
