/**
 * A strict DER reader (X.690) for the parts of certificates and requests etcd-pki reads. Reading
 * with pkijs builds an object per element and loads pkijs, asn1js and their hashes on start-up;
 * this walks the bytes in place. Every function throws RangeError on input that is not DER
 * (callers wrap it into their PkiError): a wrong tag, a length past its parent, a long-form length
 * that fits the short form, high tag numbers, or bytes left over inside a structure.
 */

/** One element: its tag and where its value lies within the buffer. */
export interface Element {
  readonly tag: number;
  /** First byte of the tag. */
  readonly offset: number;
  /** First byte of the value. */
  readonly start: number;
  /** One past the last byte of the value (and of the element). */
  readonly end: number;
}

/**
 * The element whose tag is at `offset`, which must end by `limit` (its parent's end).
 * @throws RangeError when it is not DER or runs past `limit`.
 */
export function elementAt(der: Uint8Array, offset: number, limit: number): Element {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined || offset + 2 > limit) throw new RangeError('truncated DER');
  // X.690 8.1.2.4: tag numbers from 31 use further octets; nothing read here has one.
  if ((tag & 0x1f) === 0x1f) throw new RangeError('unexpected high tag number');
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // X.690 10.1: definite form, in the fewest octets (no indefinite form, no leading zero octet).
    if (count === 0 || count > 4 || der[start] === 0) throw new RangeError('not a DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? NaN);
    if (length < 0x80) throw new RangeError('not a DER length');
    start += count;
  }
  const end = start + length;
  if (!Number.isFinite(end) || end > limit) throw new RangeError('truncated DER');
  return { tag, offset, start, end };
}

/** elementAt() that also requires `tag`. */
export function expectAt(der: Uint8Array, offset: number, limit: number, tag: number): Element {
  const element = elementAt(der, offset, limit);
  if (element.tag !== tag) {
    throw new RangeError(`expected tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)} at ${offset}`);
  }
  return element;
}

/** The one element that `der` holds, with nothing after it. */
export function wholeElement(der: Uint8Array, tag: number): Element {
  const element = expectAt(der, 0, der.length, tag);
  if (element.end !== der.length) throw new RangeError('bytes after the end of the DER');
  return element;
}

/** The elements inside a constructed `parent`, which must fill it exactly. */
export function childrenOf(der: Uint8Array, parent: Element): Element[] {
  const children: Element[] = [];
  for (let offset = parent.start; offset < parent.end;) {
    const child = elementAt(der, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The value bytes of `element`, as a view (callers copy what they keep). */
export function valueOf(der: Uint8Array, element: Element): Uint8Array {
  return der.subarray(element.start, element.end);
}

/** The whole element, tag and length included, as a view. */
export function encodingOf(der: Uint8Array, element: Element): Uint8Array {
  return der.subarray(element.offset, element.end);
}

/** The dotted form of an OBJECT IDENTIFIER's value (X.690 8.19). */
export function objectIdentifierText(der: Uint8Array, element: Element): string {
  if (element.tag !== 0x06 || element.start === element.end) throw new RangeError('not an OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = der[i]!;
    // X.690 8.19.2: no leading 0x80 octet in an arc.
    if (value === 0 && byte === 0x80) throw new RangeError('not a DER OBJECT IDENTIFIER');
    value = value * 128 + (byte & 0x7f);
    if (!Number.isSafeInteger(value)) throw new RangeError('OBJECT IDENTIFIER arc too large');
    if (byte & 0x80) {
      if (i === element.end - 1) throw new RangeError('truncated OBJECT IDENTIFIER');
      continue;
    }
    if (arcs.length === 0) arcs.push(value < 40 ? 0 : value < 80 ? 1 : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return arcs.join('.');
}

/** A BOOLEAN's value; DER writes TRUE as 0xff only (X.690 11.1). */
export function booleanValue(der: Uint8Array, element: Element): boolean {
  const byte = der[element.start];
  if (element.tag !== 0x01 || element.end - element.start !== 1 || (byte !== 0 && byte !== 0xff)) throw new RangeError('not a DER BOOLEAN');
  return byte === 0xff;
}

/** The contents of an INTEGER, checked to be minimal (X.690 8.3.2). */
export function integerBytes(der: Uint8Array, element: Element): Uint8Array {
  const length = element.end - element.start;
  if (element.tag !== 0x02 || length === 0) throw new RangeError('not an INTEGER');
  const first = der[element.start]!;
  const second = der[element.start + 1];
  if (second !== undefined && length > 1 && ((first === 0 && second < 0x80) || (first === 0xff && second >= 0x80))) {
    throw new RangeError('not a minimal INTEGER');
  }
  return valueOf(der, element);
}

/** A small non-negative INTEGER (a version, a path length). */
export function smallInteger(der: Uint8Array, element: Element): number {
  const bytes = integerBytes(der, element);
  if (bytes[0]! >= 0x80 || bytes.length > 6) throw new RangeError('INTEGER out of range');
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/** The bits of a BIT STRING without its unused-bits octet, which must be 0 (whole octets). */
export function bitStringOctets(der: Uint8Array, element: Element): Uint8Array {
  if (element.tag !== 0x03 || element.start === element.end || der[element.start] !== 0)
    throw new RangeError('not an octet-aligned BIT STRING');
  return der.subarray(element.start + 1, element.end);
}
