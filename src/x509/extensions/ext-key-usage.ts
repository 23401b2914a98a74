import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids.js';
import { makeExtension, memoised } from './extension.js';

const byOidList = memoised((oids: string) =>
  makeExtension(
    OID.extKeyUsage,
    false,
    new asn1js.Sequence({ value: oids.split(' ').map((value) => new asn1js.ObjectIdentifier({ value })) }),
  ),
);

/** ExtendedKeyUsage (RFC 5280 4.2.1.12), not critical, OIDs in the profile's order, as cfssl. */
export function extKeyUsageExtension(oids: readonly string[]): pkijs.Extension {
  return byOidList(oids.join(' '));
}
