import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { ipToText } from './ip.js';
import { OID } from './oids.js';
import { keyUsageBitsFrom } from './extensions/key-usage.js';
import { GENERAL_NAME_TAG } from './extensions/subject-alt-name.js';
import { extensionValue } from './extensions/extension.js';
import type { SubjectAltNames } from './hosts.js';

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
}

/** Decodes the extensions etcd-pki writes or checks; others are listed in `order` only. */
export function readExtensions(extensions: readonly pkijs.Extension[]): ExtensionSummary {
  const summary: { -readonly [K in keyof ExtensionSummary]: ExtensionSummary[K] } = { order: [] };
  for (const extension of extensions) {
    (summary.order as string[]).push(extension.extnID);
    const value = asn1js.fromBER(extensionValue(extension)).result;
    switch (extension.extnID) {
      case OID.keyUsage:
        summary.keyUsage = {
          bits: keyUsageBitsFrom(new Uint8Array((value as asn1js.BitString).valueBlock.valueHexView)),
          critical: extension.critical,
        };
        break;
      case OID.extKeyUsage:
        summary.extKeyUsage = (value as asn1js.Sequence).valueBlock.value.map((oid) =>
          (oid as asn1js.ObjectIdentifier).valueBlock.toString(),
        );
        break;
      case OID.basicConstraints: {
        const items = (value as asn1js.Sequence).valueBlock.value;
        const isCA = items[0] instanceof asn1js.Boolean ? items[0].valueBlock.value : false;
        const pathLen = items.find((item): item is asn1js.Integer => item instanceof asn1js.Integer);
        summary.basicConstraints = {
          isCA,
          critical: extension.critical,
          ...(pathLen ? { pathLen: pathLen.valueBlock.valueDec } : {}),
        };
        break;
      }
      case OID.subjectKeyIdentifier:
        summary.subjectKeyId = new Uint8Array((value as asn1js.OctetString).valueBlock.valueHexView);
        break;
      case OID.authorityKeyIdentifier: {
        const keyId = (value as asn1js.Sequence).valueBlock.value.find(
          (item) => item.idBlock.tagClass === 3 && item.idBlock.tagNumber === 0,
        );
        if (keyId) summary.authorityKeyId = new Uint8Array((keyId as asn1js.Primitive).valueBlock.valueHexView);
        break;
      }
      case OID.subjectAltName:
        summary.sans = readGeneralNames(value as asn1js.Sequence);
        break;
    }
  }
  return summary;
}

function readGeneralNames(sequence: asn1js.Sequence): SubjectAltNames {
  const out = { dns: [] as string[], email: [] as string[], ip: [] as string[], uri: [] as string[] };
  for (const name of sequence.valueBlock.value) {
    if (name.idBlock.tagClass !== 3) continue;
    const bytes = new Uint8Array((name as asn1js.Primitive).valueBlock.valueHexView);
    const text = () => Buffer.from(bytes).toString('latin1');
    switch (name.idBlock.tagNumber) {
      case GENERAL_NAME_TAG.dNSName:
        out.dns.push(text());
        break;
      case GENERAL_NAME_TAG.rfc822Name:
        out.email.push(text());
        break;
      case GENERAL_NAME_TAG.iPAddress:
        out.ip.push(ipToText(bytes));
        break;
      case GENERAL_NAME_TAG.uniformResourceIdentifier:
        out.uri.push(text());
        break;
    }
  }
  return out;
}
