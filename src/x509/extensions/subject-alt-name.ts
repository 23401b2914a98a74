import type { SubjectAltNames } from '../hosts.js';
import { ipSanBytes } from '../ip.js';
import { OID } from '../../asn1/oids.js';
import { TAG, ascii, contextPrimitive, tlvOf } from '../../asn1/der.js';
import { certificateExtension, type CertificateExtension } from './extension.js';

/** GeneralName choice tags (RFC 5280 4.2.1.6). */
export const GENERAL_NAME_TAG = { rfc822Name: 1, dNSName: 2, uniformResourceIdentifier: 6, iPAddress: 7 } as const;

/** The DER GeneralNames of `sans`, in Go's order: DNS, email, IP, URI. */
export function generalNamesDer(sans: SubjectAltNames): Uint8Array {
  const names: Uint8Array[] = [];
  for (const name of sans.dns) names.push(contextPrimitive(GENERAL_NAME_TAG.dNSName, ascii(name)));
  for (const email of sans.email) names.push(contextPrimitive(GENERAL_NAME_TAG.rfc822Name, ascii(email)));
  for (const ip of sans.ip) names.push(contextPrimitive(GENERAL_NAME_TAG.iPAddress, ipSanBytes(ip)!));
  for (const uri of sans.uri) names.push(contextPrimitive(GENERAL_NAME_TAG.uniformResourceIdentifier, ascii(uri)));
  return tlvOf(TAG.sequence, names);
}

export function hasSans(sans: SubjectAltNames): boolean {
  return sans.dns.length + sans.email.length + sans.ip.length + sans.uri.length > 0;
}

/** SubjectAltName (RFC 5280 4.2.1.6); critical only when the subject is empty, as required there. */
export function subjectAltNameExtension(sans: SubjectAltNames, subjectIsEmpty: boolean): CertificateExtension {
  return certificateExtension(OID.subjectAltName, subjectIsEmpty, generalNamesDer(sans));
}
