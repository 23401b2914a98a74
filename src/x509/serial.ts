import { randomBytes } from 'node:crypto';

/**
 * A certificate serial number as cfssl makes it: 20 random bytes with the top bit cleared, so the
 * INTEGER is positive and fits RFC 5280 4.1.2.2's 20 octets. Returned as minimal DER INTEGER
 * contents (leading zero bytes dropped, as Go's big.Int marshals it).
 */
export function randomSerial(): Uint8Array {
  const bytes = randomBytes(20);
  bytes[0]! &= 0x7f;
  return minimalPositiveInteger(bytes);
}

/** Drops leading zero bytes that DER's minimal INTEGER rule (X.690 8.3.2) forbids. */
export function minimalPositiveInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && bytes[start + 1]! < 0x80) start++;
  const out = bytes.slice(start);
  return out[0]! >= 0x80 ? Uint8Array.of(0, ...out) : out;
}

/** The serial's decimal form, as cfssl certinfo prints it. */
export function serialToDecimal(bytes: Uint8Array): string {
  if (bytes.length === 0) return '0';
  return BigInt('0x' + Buffer.from(bytes).toString('hex')).toString(10);
}
