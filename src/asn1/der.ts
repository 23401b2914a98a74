/**
 * A minimal DER writer (X.690) for everything etcd-pki writes: certificates, requests,
 * extensions, names and keys are assembled from bytes here, since building asn1js/pkijs objects
 * for parts that are already DER costs more than signing in bulk issuance. Reading certificates
 * and requests is der-read.ts's.
 */

/** DER tags used here (X.690 8.x, universal class; context-specific constructed for [0], [1], [3]). */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
  contextConstructed0: 0xa0,
  contextConstructed1: 0xa1,
  contextConstructed3: 0xa3,
} as const;

// X.690 8.1.2: class context-specific (10), primitive; tag numbers below 31 fit the same octet.
const CONTEXT_PRIMITIVE = 0x80;

/**
 * One TLV: `tag`, the length of the concatenated `contents`, then the contents. For parts of a
 * larger structure: the bytes may be a view into a buffer shared with other short-lived DER (see
 * writeTlv), so callers copy them into a TLV or hand them on via standaloneTlv, and never keep
 * their `.buffer`.
 */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  return writeTlv(tag, contents, Buffer.allocUnsafe);
}

/** tlv() over an array of parts, for callers that already hold one (no spread per call). */
export function tlvOf(tag: number, contents: readonly Uint8Array[]): Uint8Array {
  return writeTlv(tag, contents, Buffer.allocUnsafe);
}

/** A TLV in an ArrayBuffer of its own, for DER handed to callers (certificates, requests, keys). */
export function standaloneTlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  return writeTlv(tag, contents, (size) => new Uint8Array(size));
}

// Buffer.allocUnsafe slices node's 8 KiB pool: ~0.2 us, where a Uint8Array over 64 bytes gets a
// zeroed backing store of its own (~1 us, and more work for the GC), and a certificate is built
// from a dozen such TLVs. Every byte of `out` is written below, so none of the pool's old
// contents survive.
function writeTlv(tag: number, contents: readonly Uint8Array[], allocate: (size: number) => Uint8Array): Uint8Array {
  let length = 0;
  for (const part of contents) length += part.length;
  // Definite-form length (X.690 8.1.3): short form below 128, else long form.
  const lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const out = allocate(2 + lengthBytes + length);
  out[0] = tag;
  if (lengthBytes === 0) out[1] = length;
  else {
    out[1] = 0x80 | lengthBytes;
    for (let i = lengthBytes, rest = length; i > 0; i--, rest = Math.floor(rest / 256)) out[1 + i] = rest & 0xff;
  }
  let offset = 2 + lengthBytes;
  for (const part of contents) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A context-specific primitive TLV (an IMPLICIT tag on a GeneralName choice, for instance). */
export function contextPrimitive(tagNumber: number, bytes: Uint8Array): Uint8Array {
  return tlv(CONTEXT_PRIMITIVE | tagNumber, bytes);
}

/** BOOLEAN TRUE: DER writes TRUE as 0xff (X.690 11.1). */
export const BOOLEAN_TRUE = Uint8Array.of(TAG.boolean, 0x01, 0xff);

/**
 * A non-negative INTEGER in minimal two's complement (X.690 8.3.2): no leading zero octet unless
 * the next octet's top bit is set.
 * @throws RangeError for negative or unsafe integers.
 */
export function unsignedInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; ; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest & 0xff);
    if (rest < 256) break;
  }
  if (bytes[0]! >= 0x80) bytes.unshift(0);
  return tlv(TAG.integer, Uint8Array.from(bytes));
}

const objectIdentifiers = new Map<string, Uint8Array>();

/**
 * The DER OBJECT IDENTIFIER of dotted `oid` (X.690 8.19: the first two arcs as 40 * a + b, each
 * arc in base 128, high bit set on all but its last octet). Made once per OID; the OIDs come from
 * oids.ts, so the cache stays small. Callers never mutate the bytes.
 * @throws RangeError for a malformed OID.
 */
export function objectIdentifier(oid: string): Uint8Array {
  let der = objectIdentifiers.get(oid);
  if (!der) {
    der = encodeObjectIdentifier(oid);
    objectIdentifiers.set(oid, der);
  }
  return der;
}

function encodeObjectIdentifier(oid: string): Uint8Array {
  const arcs = oid.split('.').map((arc) => (/^\d+$/.test(arc) ? Number(arc) : NaN));
  const [first = NaN, second = NaN, ...rest] = arcs;
  if (arcs.length < 2 || !arcs.every(Number.isSafeInteger) || first > 2 || (first < 2 && second >= 40)) {
    throw new RangeError(`invalid object identifier ${JSON.stringify(oid)}`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const start = bytes.length;
    for (let value = arc, last = true; ; last = false) {
      bytes.splice(start, 0, (value % 128) | (last ? 0 : 0x80));
      value = Math.floor(value / 128);
      if (value === 0) break;
    }
  }
  return tlv(TAG.objectIdentifier, Uint8Array.from(bytes));
}

/** A UTCTime through 2049, else a GeneralizedTime, in whole seconds with `Z` (RFC 5280 4.1.2.5). */
export function validityTimeDer(date: Date): Uint8Array {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(TAG.utcTime, ascii(`${digits.slice(2)}Z`)) : tlv(TAG.generalizedTime, ascii(`${digits}Z`));
}

/** The bytes of an ASCII (IA5 or Printable) string; one byte a character. */
export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
