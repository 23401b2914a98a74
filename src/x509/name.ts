import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { TAG, tlv } from './der.js';
import { OID } from './oids.js';

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
const SET_TAG = 0x31;

function directoryString(value: string): Uint8Array {
  return tlv(PRINTABLE.test(value) ? PRINTABLE_STRING_TAG : UTF8_STRING_TAG, new Uint8Array(Buffer.from(value, 'utf8')));
}

const oidDer = new Map<string, Uint8Array>();
function objectIdentifier(oid: string): Uint8Array {
  let der = oidDer.get(oid);
  if (!der) {
    der = new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER());
    oidDer.set(oid, der);
  }
  return der;
}

function valuesOf(name: SubjectName, key: keyof SubjectName): readonly string[] {
  const value = name[key];
  if (value === undefined || value === '') return [];
  return typeof value === 'string' ? [value] : value.filter((v) => v !== '');
}

/**
 * DER of the Name (RFC 5280 4.1.2.4) in Go's attribute order. Several values of one attribute
 * form one multi-valued RDN, as Go's appendRDNs does; DER sorts the SET OF by encoding.
 */
export function encodeName(name: SubjectName): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const [key, oid] of RDN_ORDER) {
    const values = valuesOf(name, key);
    if (values.length === 0) continue;
    const attributes = values.map((value) => tlv(TAG.sequence, objectIdentifier(oid), directoryString(value))).sort(compareBytes);
    rdns.push(tlv(SET_TAG, ...attributes));
  }
  return tlv(TAG.sequence, ...rdns);
}

/** The Name as a pkijs object that re-encodes to exactly `der`. */
export function nameFromDer(der: Uint8Array): pkijs.RelativeDistinguishedNames {
  return pkijs.RelativeDistinguishedNames.fromBER(der as Uint8Array<ArrayBuffer>);
}

/** Reads a parsed Name back into cfssl's fields; attributes it does not name are dropped. */
export function subjectNameOf(rdn: pkijs.RelativeDistinguishedNames): SubjectName {
  const out: Record<string, string[]> = {};
  for (const atv of rdn.typesAndValues) {
    const entry = RDN_ORDER.find(([, oid]) => oid === atv.type);
    if (!entry) continue;
    (out[entry[0]] ??= []).push(attributeText(atv));
  }
  const { commonName, serialNumber, ...multi } = out;
  return {
    ...multi,
    ...(commonName?.[0] !== undefined ? { commonName: commonName[0] } : {}),
    ...(serialNumber?.[0] !== undefined ? { serialNumber: serialNumber[0] } : {}),
  };
}

/** The text of one attribute value, whatever string type it was encoded with. */
export function attributeText(atv: pkijs.AttributeTypeAndValue): string {
  const value = atv.value as { valueBlock?: { value?: unknown } };
  const text = value.valueBlock?.value;
  return typeof text === 'string' ? text : '';
}

/** Every attribute value in encoded order (cfssl certinfo's `names`). */
export function nameValues(rdn: pkijs.RelativeDistinguishedNames): string[] {
  return rdn.typesAndValues.map(attributeText);
}

/** `C=US, ST=..., CN=...`: a one-line rendering for messages. */
export function formatName(rdn: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = {
    [OID.countryName]: 'C',
    [OID.stateOrProvinceName]: 'ST',
    [OID.localityName]: 'L',
    [OID.organizationName]: 'O',
    [OID.organizationalUnitName]: 'OU',
    [OID.commonName]: 'CN',
    [OID.serialNumber]: 'serialNumber',
    [OID.emailAddress]: 'emailAddress',
  };
  return rdn.typesAndValues.map((atv) => `${short[atv.type] ?? atv.type}=${attributeText(atv)}`).join(', ');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
