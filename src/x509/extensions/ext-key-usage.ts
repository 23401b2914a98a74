import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids.js';
import { makeExtension } from './extension.js';

/** ExtendedKeyUsage (RFC 5280 4.2.1.12), not critical, OIDs in the profile's order, as cfssl. */
export function extKeyUsageExtension(oids: readonly string[]): pkijs.Extension {
  return makeExtension(
    OID.extKeyUsage,
    false,
    new asn1js.Sequence({ value: oids.map((value) => new asn1js.ObjectIdentifier({ value })) }),
  );
}
