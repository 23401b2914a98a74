import { TAG, contextPrimitive, tlv } from '../../asn1/der.js';
import { OID } from '../../asn1/oids.js';
import { certificateExtension, type CertificateExtension } from './extension.js';

/** SubjectKeyIdentifier (RFC 5280 4.2.1.2), not critical: `KeyIdentifier ::= OCTET STRING`. */
export function subjectKeyIdentifierExtension(keyId: Uint8Array): CertificateExtension {
  return certificateExtension(OID.subjectKeyIdentifier, false, tlv(TAG.octetString, keyId));
}

// One per CA key id: every certificate a CA issues carries the same AKI.
const authorityKeyIds = new WeakMap<Uint8Array, CertificateExtension>();

/**
 * AuthorityKeyIdentifier (RFC 5280 4.2.1.1) with keyIdentifier [0] only, as Go writes it. Made
 * once per `keyId` array (callers pass the CA's, and never mutate it).
 */
export function authorityKeyIdentifierExtension(keyId: Uint8Array): CertificateExtension {
  let extension = authorityKeyIds.get(keyId);
  if (!extension) {
    extension = certificateExtension(OID.authorityKeyIdentifier, false, tlv(TAG.sequence, contextPrimitive(0, keyId)));
    authorityKeyIds.set(keyId, extension);
  }
  return extension;
}
