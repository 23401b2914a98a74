import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids.js';
import { GENERAL_NAME_TAG } from './subject-alt-name.js';
import { contextPrimitive, makeExtension } from './extension.js';

const uriName = (uri: string) =>
  contextPrimitive(GENERAL_NAME_TAG.uniformResourceIdentifier, new Uint8Array(Buffer.from(uri, 'latin1')));

/**
 * AuthorityInfoAccess (RFC 5280 4.2.2.1): OCSP responders first, then CA issuer URLs, as Go
 * writes them from cfssl's `ocsp_url` and `issuer_urls`.
 */
export function authorityInfoAccessExtension(ocsp: readonly string[], issuers: readonly string[]): pkijs.Extension {
  const access = (method: string, uri: string) =>
    new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: method }), uriName(uri)] });
  return makeExtension(
    OID.authorityInfoAccess,
    false,
    new asn1js.Sequence({
      value: [...ocsp.map((u) => access(OID.accessMethodOcsp, u)), ...issuers.map((u) => access(OID.accessMethodCaIssuers, u))],
    }),
  );
}

/**
 * CRLDistributionPoints (RFC 5280 4.2.1.13): one DistributionPoint per URL with a fullName, as Go
 * writes cfssl's `crl_url`.
 */
export function crlDistributionPointsExtension(urls: readonly string[]): pkijs.Extension {
  const point = (url: string) =>
    new asn1js.Sequence({
      value: [
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [uriName(url)] })],
        }),
      ],
    });
  return makeExtension(OID.crlDistributionPoints, false, new asn1js.Sequence({ value: urls.map(point) }));
}
