import { TextDecoder } from 'node:util';
import { TAG, objectIdentifier, standaloneTlv, tlv, tlvOf } from '../asn1/der.js';
import { childrenOf, objectIdentifierText, valueOf, wholeElement } from '../asn1/der-read.js';
import { OID } from '../asn1/oids.js';

/**
 * A subject or issuer name as cfssl's CSR JSON describes it, after validation: each attribute may
 * carry several values (one per `names[]` entry that sets it).
 */
export interface SubjectName {
  readonly commonName?: string | undefined;
  readonly country?: readonly string[];
  readonly province?: readonly string[];
  readonly locality?: readonly string[];
  readonly streetAddress?: readonly string[];
  readonly postalCode?: readonly string[];
  readonly organization?: readonly string[];
  readonly organizationalUnit?: readonly string[];
  readonly serialNumber?: string | undefined;
  readonly emailAddress?: readonly string[];
  /**
   * Attributes written after all the others, each as its own RDN, in this order (Go's
   * pkix.Name.ExtraNames: cfssl's `names[].E` and `names[].OID`). A standard attribute above whose
   * OID also appears here is not written, as Go does.
   */
  readonly extraNames?: readonly ExtraName[];
}

/** One attribute of `SubjectName.extraNames`. */
export interface ExtraName {
  /** Dotted OID. */
  readonly type: string;
  readonly value: string;
}

/**
 * Attribute order of Go's pkix.Name.ToRDNSequence, which cfssl's certificates follow:
 * C, ST, L, street, postalCode, O, OU, CN, serialNumber, then extra names (emailAddress).
 */
const RDN_ORDER = [
  ['country', OID.countryName],
  ['province', OID.stateOrProvinceName],
  ['locality', OID.localityName],
  ['streetAddress', OID.streetAddress],
  ['postalCode', OID.postalCode],
  ['organization', OID.organizationName],
  ['organizationalUnit', OID.organizationalUnitName],
  ['commonName', OID.commonName],
  ['serialNumber', OID.serialNumber],
  ['emailAddress', OID.emailAddress],
] as const satisfies ReadonlyArray<readonly [keyof SubjectName, string]>;

// X.680 PrintableString alphabet; Go's asn1 uses it whenever a string fits, else UTF8String.
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const PRINTABLE_STRING_TAG = 0x13;
const UTF8_STRING_TAG = 0x0c;

function directoryString(value: string): Uint8Array {
  return tlv(PRINTABLE.test(value) ? PRINTABLE_STRING_TAG : UTF8_STRING_TAG, Buffer.from(value, 'utf8'));
}

// AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value DirectoryString }
function attribute(oid: string, value: string): Uint8Array {
  return tlv(TAG.sequence, objectIdentifier(oid), directoryString(value));
}

/**
 * DER of the Name (RFC 5280 4.1.2.4) in Go's attribute order. Several values of one attribute
 * form one multi-valued RDN, as Go's appendRDNs does; DER sorts the SET OF by encoding.
 * Email addresses and extra names are one RDN each, as Go writes its ExtraNames.
 */
export function encodeName(name: SubjectName): Uint8Array {
  const rdns: Uint8Array[] = [];
  const extras = name.extraNames ?? [];
  for (const [key, oid] of RDN_ORDER) {
    const value = name[key];
    if (value === undefined || value.length === 0) continue;
    if (extras.some((extra) => extra.type === oid)) continue;
    if (key === 'emailAddress') {
      for (const email of name.emailAddress ?? []) if (email !== '') rdns.push(tlv(TAG.set, attribute(oid, email)));
      continue;
    }
    if (typeof value === 'string') {
      rdns.push(tlv(TAG.set, attribute(oid, value)));
      continue;
    }
    const attributes = value.filter((v) => v !== '').map((v) => attribute(oid, v));
    if (attributes.length > 0) rdns.push(tlvOf(TAG.set, attributes.sort(compareBytes)));
  }
  for (const extra of extras) rdns.push(tlv(TAG.set, attribute(extra.type, extra.value)));
  return standaloneTlv(TAG.sequence, ...rdns);
}

/** One attribute of a Name as read back (RFC 5280 4.1.2.4 AttributeTypeAndValue). */
export interface NameAttribute {
  /** The attribute type's OID. */
  readonly type: string;
  /** Its value as text; '' for a value that is not a string type read here. */
  readonly text: string;
  /** Whether the value is one of the string types read here. */
  readonly isString: boolean;
}

/**
 * The attributes of a DER Name in encoded order, each RDN's values in turn.
 * @throws RangeError when `der` is not a DER Name (SEQUENCE OF SET OF SEQUENCE { OID, value }).
 */
export function readName(der: Uint8Array): NameAttribute[] {
  const attributes: NameAttribute[] = [];
  for (const rdn of childrenOf(der, wholeElement(der, TAG.sequence))) {
    if (rdn.tag !== TAG.set) throw new RangeError('RelativeDistinguishedName is not a SET');
    for (const atv of childrenOf(der, rdn)) {
      if (atv.tag !== TAG.sequence) throw new RangeError('AttributeTypeAndValue is not a SEQUENCE');
      const [type, value, extra] = childrenOf(der, atv);
      if (!type || !value || extra) throw new RangeError('malformed AttributeTypeAndValue');
      const isString =
        BYTE_STRINGS.has(value.tag) || value.tag === UTF8_STRING || value.tag === BMP_STRING || value.tag === UNIVERSAL_STRING;
      attributes.push({ type: objectIdentifierText(der, type), text: stringText(value.tag, valueOf(der, value)), isString });
    }
  }
  return attributes;
}

// String types by how their bytes become text: UTF-8, UTF-16BE (BMPString), UTF-32BE
// (UniversalString), or one character a byte for the rest (Numeric, Printable, Teletex, Videotex,
// IA5, Graphic, Visible, General, Character), as the pkijs reading before this one did.
const UTF8_STRING = 0x0c;
const BMP_STRING = 0x1e;
const UNIVERSAL_STRING = 0x1c;
const BYTE_STRINGS = new Set([0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b, 0x1d]);
let utf8: TextDecoder | undefined;

function stringText(tag: number, bytes: Uint8Array): string {
  if (BYTE_STRINGS.has(tag)) return Buffer.from(bytes).toString('latin1');
  switch (tag) {
    case UTF8_STRING:
      try {
        return (utf8 ??= new TextDecoder('utf-8', { fatal: true })).decode(bytes);
      } catch {
        // Not UTF-8: shown a character a byte rather than refused, as before.
        return Buffer.from(bytes).toString('latin1');
      }
    case BMP_STRING:
      // Big-endian code units; node decodes little-endian ones.
      return Buffer.from(bytes.subarray(0, bytes.length & ~1))
        .swap16()
        .toString('utf16le');
    case UNIVERSAL_STRING:
      return Array.from({ length: bytes.length >> 2 }, (_, i) => {
        const point = ((bytes[4 * i]! << 24) | (bytes[4 * i + 1]! << 16) | (bytes[4 * i + 2]! << 8) | bytes[4 * i + 3]!) >>> 0;
        return point <= 0x10ffff ? String.fromCodePoint(point) : '\ufffd';
      }).join('');
    default:
      return '';
  }
}

/** Reads a DER Name back into cfssl's fields; attributes it does not name are dropped. */
export function subjectNameOf(der: Uint8Array): SubjectName {
  const out: Record<string, string[]> = {};
  for (const { type, text } of readName(der)) {
    const entry = RDN_ORDER.find(([, oid]) => oid === type);
    if (entry) (out[entry[0]] ??= []).push(text);
  }
  const { commonName, serialNumber, ...multi } = out;
  return {
    ...multi,
    ...(commonName?.[0] !== undefined ? { commonName: commonName[0] } : {}),
    ...(serialNumber?.[0] !== undefined ? { serialNumber: serialNumber[0] } : {}),
  };
}

// Go's FillFromRDNSequence: the attributes pkix.Name has a field for, by the last arc of 2.5.4.x.
const GO_NAME_FIELDS: Readonly<
  Record<string, 'country' | 'province' | 'locality' | 'streetAddress' | 'postalCode' | 'organization' | 'organizationalUnit'>
> = {
  [OID.countryName]: 'country',
  [OID.stateOrProvinceName]: 'province',
  [OID.localityName]: 'locality',
  [OID.streetAddress]: 'streetAddress',
  [OID.postalCode]: 'postalCode',
  [OID.organizationName]: 'organization',
  [OID.organizationalUnitName]: 'organizationalUnit',
};

/**
 * A requester's DER Name as cfssl's `sign` reads it before writing it again (Go's
 * pkix.Name.FillFromRDNSequence, plus every other attribute as an extra name): the last CN and
 * serialNumber, the other known attributes in order, then the rest one RDN each. Undefined when
 * an attribute is not a string, which Go would write back in a type this reader does not keep.
 * @throws RangeError when `der` is not a DER Name.
 */
export function goSubjectName(der: Uint8Array): SubjectName | undefined {
  const lists: Record<string, string[]> = {};
  const extraNames: ExtraName[] = [];
  let commonName: string | undefined;
  let serialNumber: string | undefined;
  for (const { type, text, isString } of readName(der)) {
    if (!isString) return undefined;
    if (type === OID.commonName) commonName = text;
    else if (type === OID.serialNumber) serialNumber = text;
    else if (GO_NAME_FIELDS[type]) (lists[GO_NAME_FIELDS[type]] ??= []).push(text);
    else extraNames.push({ type, value: text });
  }
  return {
    ...lists,
    ...(commonName ? { commonName } : {}),
    ...(serialNumber ? { serialNumber } : {}),
    ...(extraNames.length ? { extraNames } : {}),
  };
}

/** Every attribute value of a DER Name in encoded order (cfssl certinfo's `names`). */
export function nameValues(der: Uint8Array): string[] {
  return readName(der).map((attribute) => attribute.text);
}

const SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID.countryName]: 'C',
  [OID.stateOrProvinceName]: 'ST',
  [OID.localityName]: 'L',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.commonName]: 'CN',
  [OID.serialNumber]: 'serialNumber',
  [OID.emailAddress]: 'emailAddress',
};

/** `C=US, ST=..., CN=...`: a one-line rendering of a DER Name for messages. */
export function formatName(der: Uint8Array): string {
  return readName(der)
    .map(({ type, text }) => `${SHORT_NAMES[type] ?? type}=${text}`)
    .join(', ');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
