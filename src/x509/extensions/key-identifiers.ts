import type * as pkijs from 'pkijs';
import { TAG, tlv } from '../der.js';
import { OID } from '../oids.js';
import { contextPrimitiveDer, extensionFromDer } from './extension.js';

const OCTET_STRING_TAG = 0x04;

/** SubjectKeyIdentifier (RFC 5280 4.2.1.2), not critical. */
export function subjectKeyIdentifierExtension(keyId: Uint8Array): pkijs.Extension {
  return extensionFromDer(OID.subjectKeyIdentifier, false, tlv(OCTET_STRING_TAG, keyId));
}

// One per CA key id: every certificate a CA issues carries the same AKI.
const authorityKeyIds = new WeakMap<Uint8Array, pkijs.Extension>();

/**
 * AuthorityKeyIdentifier (RFC 5280 4.2.1.1) with keyIdentifier [0] only, as Go writes it. Made
 * once per `keyId` array (callers pass the CA's, and never mutate it).
 */
export function authorityKeyIdentifierExtension(keyId: Uint8Array): pkijs.Extension {
  let extension = authorityKeyIds.get(keyId);
  if (!extension) {
    extension = extensionFromDer(OID.authorityKeyIdentifier, false, tlv(TAG.sequence, contextPrimitiveDer(0, keyId)));
    authorityKeyIds.set(keyId, extension);
  }
  return extension;
}
