import { TAG, ascii, contextPrimitive, objectIdentifier, tlv, tlvOf } from '../../asn1/der.js';
import { OID } from '../../asn1/oids.js';
import { GENERAL_NAME_TAG } from './subject-alt-name.js';
import { certificateExtension, type CertificateExtension } from './extension.js';

const uriName = (uri: string) => contextPrimitive(GENERAL_NAME_TAG.uniformResourceIdentifier, ascii(uri));

/**
 * AuthorityInfoAccess (RFC 5280 4.2.2.1): OCSP responders first, then CA issuer URLs, as Go
 * writes them from cfssl's `ocsp_url` and `issuer_urls`.
 */
export function authorityInfoAccessExtension(ocsp: readonly string[], issuers: readonly string[]): CertificateExtension {
  // AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
  const access = (method: string, uri: string) => tlv(TAG.sequence, objectIdentifier(method), uriName(uri));
  return certificateExtension(
    OID.authorityInfoAccess,
    false,
    tlvOf(TAG.sequence, [...ocsp.map((u) => access(OID.accessMethodOcsp, u)), ...issuers.map((u) => access(OID.accessMethodCaIssuers, u))]),
  );
}

/**
 * CRLDistributionPoints (RFC 5280 4.2.1.13): one DistributionPoint per URL with a fullName, as Go
 * writes cfssl's `crl_url`.
 */
export function crlDistributionPointsExtension(urls: readonly string[]): CertificateExtension {
  // DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL, ... };
  // DistributionPointName ::= CHOICE { fullName [0] GeneralNames, ... }. Both tags are
  // constructed: [0] around a CHOICE is explicit, and GeneralNames is a SEQUENCE.
  const point = (url: string) => tlv(TAG.sequence, tlv(TAG.contextConstructed0, tlv(TAG.contextConstructed0, uriName(url))));
  return certificateExtension(OID.crlDistributionPoints, false, tlvOf(TAG.sequence, urls.map(point)));
}
