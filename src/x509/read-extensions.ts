import { ipToText } from './ip.js';
import { OID } from '../asn1/oids.js';
import { keyUsageBitsFrom } from './extensions/key-usage.js';
import { GENERAL_NAME_TAG } from './extensions/subject-alt-name.js';
import {
  booleanValue,
  childrenOf,
  encodingOf,
  objectIdentifierText,
  smallInteger,
  valueOf,
  wholeElement,
  type Element,
} from '../asn1/der-read.js';
import type { SubjectAltNames } from './hosts.js';

/** One extension as written (RFC 5280 4.1: extnID, critical DEFAULT FALSE, extnValue). */
export interface ExtensionRecord {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER that extnValue's OCTET STRING holds. */
  readonly value: Uint8Array;
  /** The whole Extension, tag to end. */
  readonly der: Uint8Array;
}

/** What etcd-pki reads out of a certificate's or request's extensions. */
export interface ExtensionSummary {
  readonly keyUsage?: { readonly bits: number; readonly critical: boolean };
  readonly extKeyUsage?: readonly string[];
  readonly basicConstraints?: { readonly isCA: boolean; readonly pathLen?: number; readonly critical: boolean };
  readonly subjectKeyId?: Uint8Array;
  readonly authorityKeyId?: Uint8Array;
  readonly sans?: SubjectAltNames;
  /** OIDs in the order they appear. */
  readonly order: readonly string[];
  /** Every extension, in the order it appears. */
  readonly records: readonly ExtensionRecord[];
}

const SEQUENCE = 0x30;
const OCTET_STRING = 0x04;
const BIT_STRING = 0x03;
const BOOLEAN = 0x01;
const INTEGER = 0x02;
// AuthorityKeyIdentifier's keyIdentifier [0] IMPLICIT OCTET STRING (RFC 5280 4.2.1.1).
const KEY_IDENTIFIER = 0x80;
const CONTEXT_SPECIFIC = 0x80;

/** The first extension `oid`, if any. */
export function extensionRecord(summary: ExtensionSummary, oid: string): ExtensionRecord | undefined {
  return summary.records.find((record) => record.oid === oid);
}

/**
 * The Extensions SEQUENCE at `element` (RFC 5280 4.1), as records.
 * @throws RangeError when it is not DER.
 */
export function readExtensionRecords(der: Uint8Array, element: Element): ExtensionRecord[] {
  if (element.tag !== SEQUENCE) throw new RangeError('Extensions is not a SEQUENCE');
  return childrenOf(der, element).map((extension) => {
    if (extension.tag !== SEQUENCE) throw new RangeError('Extension is not a SEQUENCE');
    const [id, second, third, extra] = childrenOf(der, extension);
    if (!id || !second || extra) throw new RangeError('malformed Extension');
    const value = third ?? second;
    // critical BOOLEAN DEFAULT FALSE: usually left out (X.690 11.5), read when written.
    const critical = third ? booleanValue(der, second) : false;
    if (value.tag !== OCTET_STRING) throw new RangeError('extnValue is not an OCTET STRING');
    return { oid: objectIdentifierText(der, id), critical, value: valueOf(der, value).slice(), der: encodingOf(der, extension).slice() };
  });
}

/**
 * Decodes the extensions etcd-pki writes or checks; others are listed in `order` only.
 * @throws RangeError when one of those it decodes is not DER.
 */
export function readExtensions(records: readonly ExtensionRecord[]): ExtensionSummary {
  const summary: { -readonly [K in keyof ExtensionSummary]: ExtensionSummary[K] } = { order: records.map((r) => r.oid), records };
  for (const { oid, critical, value } of records) {
    switch (oid) {
      case OID.keyUsage: {
        const bits = wholeElement(value, BIT_STRING);
        if (bits.start === bits.end || value[bits.start]! > 7) throw new RangeError('malformed KeyUsage');
        summary.keyUsage = { bits: keyUsageBitsFrom(value.subarray(bits.start + 1, bits.end)), critical };
        break;
      }
      case OID.extKeyUsage:
        summary.extKeyUsage = childrenOf(value, wholeElement(value, SEQUENCE)).map((id) => objectIdentifierText(value, id));
        break;
      case OID.basicConstraints: {
        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
        const items = childrenOf(value, wholeElement(value, SEQUENCE));
        const isCA = items[0]?.tag === BOOLEAN ? booleanValue(value, items[0]) : false;
        const pathLen = items.find((item) => item.tag === INTEGER);
        summary.basicConstraints = { isCA, critical, ...(pathLen ? { pathLen: smallInteger(value, pathLen) } : {}) };
        break;
      }
      case OID.subjectKeyIdentifier: {
        const keyId = wholeElement(value, OCTET_STRING);
        summary.subjectKeyId = valueOf(value, keyId);
        break;
      }
      case OID.authorityKeyIdentifier: {
        const keyId = childrenOf(value, wholeElement(value, SEQUENCE)).find((item) => item.tag === KEY_IDENTIFIER);
        if (keyId) summary.authorityKeyId = valueOf(value, keyId);
        break;
      }
      case OID.subjectAltName:
        summary.sans = readGeneralNames(value);
        break;
    }
  }
  return summary;
}

function readGeneralNames(der: Uint8Array): SubjectAltNames {
  const out = { dns: [] as string[], email: [] as string[], ip: [] as string[], uri: [] as string[] };
  for (const name of childrenOf(der, wholeElement(der, SEQUENCE))) {
    if ((name.tag & 0xc0) !== CONTEXT_SPECIFIC) continue;
    const bytes = valueOf(der, name);
    const text = () => Buffer.from(bytes).toString('latin1');
    // The choices read here are primitive; constructed ones (otherName, directoryName) are skipped.
    switch (name.tag) {
      case CONTEXT_SPECIFIC | GENERAL_NAME_TAG.dNSName:
        out.dns.push(text());
        break;
      case CONTEXT_SPECIFIC | GENERAL_NAME_TAG.rfc822Name:
        out.email.push(text());
        break;
      case CONTEXT_SPECIFIC | GENERAL_NAME_TAG.iPAddress:
        out.ip.push(ipToText(bytes));
        break;
      case CONTEXT_SPECIFIC | GENERAL_NAME_TAG.uniformResourceIdentifier:
        out.uri.push(text());
        break;
    }
  }
  return out;
}
