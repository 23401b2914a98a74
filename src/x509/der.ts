/**
 * A minimal DER writer and reader (X.690) for the hot path of bulk issuance, where building
 * asn1js objects for parts that are already DER costs more than signing. Everything else uses
 * asn1js/pkijs.
 */

/** DER tags used here (X.690 8.x, universal class; context-specific constructed for [0], [1], [3]). */
export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  sequence: 0x30,
  utcTime: 0x17,
  generalizedTime: 0x18,
  contextConstructed0: 0xa0,
  contextConstructed1: 0xa1,
  contextConstructed3: 0xa3,
} as const;

/** One TLV: `tag`, the length of the concatenated `contents`, then the contents. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of contents) length += part.length;
  // Definite-form length (X.690 8.1.3): short form below 128, else long form; written in place,
  // as this runs several times per certificate in bulk issuance.
  const lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(2 + lengthBytes + length);
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

/** A UTCTime through 2049, else a GeneralizedTime, in whole seconds with `Z` (RFC 5280 4.1.2.5). */
export function validityTimeDer(date: Date): Uint8Array {
  // Bulk issuance writes the same few seconds thousands of times; callers never mutate the bytes.
  const second = Math.floor(date.getTime() / 1000);
  let der = recentTimes.get(second);
  if (!der) {
    if (recentTimes.size >= 16) recentTimes.clear();
    der = encodeTime(date);
    recentTimes.set(second, der);
  }
  return der;
}

const recentTimes = new Map<number, Uint8Array>();

function encodeTime(date: Date): Uint8Array {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(TAG.utcTime, ascii(`${digits.slice(2)}Z`))
    : tlv(TAG.generalizedTime, ascii(`${digits}Z`));
}

function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** Where one TLV's value lies within `der`, from the tag at `offset`. */
export interface TlvBounds {
  readonly tag: number;
  /** First byte of the value. */
  readonly start: number;
  /** One past the last byte of the value. */
  readonly end: number;
}

/**
 * Reads the TLV header at `offset` (single-byte tags, definite lengths, as DER requires).
 * @throws RangeError when the header or the value runs past the end.
 */
export function readTlv(der: Uint8Array, offset: number): TlvBounds {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError('truncated DER');
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? NaN);
    start += count;
  }
  const end = start + length;
  if (!Number.isFinite(end) || end > der.length) throw new RangeError('truncated DER');
  return { tag, start, end };
}
