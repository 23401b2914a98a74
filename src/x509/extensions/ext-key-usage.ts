import { TAG, objectIdentifier, tlvOf } from '../../asn1/der.js';
import { OID } from '../../asn1/oids.js';
import { certificateExtension, memoised, type CertificateExtension } from './extension.js';

// ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
const byOidList = memoised((oids: string) =>
  certificateExtension(OID.extKeyUsage, false, tlvOf(TAG.sequence, oids.split(' ').map(objectIdentifier))),
);

/** ExtendedKeyUsage (RFC 5280 4.2.1.12), not critical, OIDs in the profile's order, as cfssl. */
export function extKeyUsageExtension(oids: readonly string[]): CertificateExtension {
  return byOidList(oids.join(' '));
}
