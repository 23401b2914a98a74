import { randomBytes } from 'node:crypto';

/**
 * A certificate serial number as cfssl makes it: 20 random bytes with the top bit cleared, so the
 * INTEGER is positive and fits RFC 5280 4.1.2.2's 20 octets. Returned as minimal DER INTEGER
 * contents (leading zero bytes dropped, as Go's big.Int marshals it).
 */
export function randomSerial(): Uint8Array {
  const bytes = randomPool(SERIAL_BYTES);
  bytes[0]! &= 0x7f;
  return minimalPositiveInteger(bytes);
}

/**
 * A serial as cfssl's selfsign makes it: a uniform random number below 2^63 (Go's
 * rand.Int(MaxInt64)), as minimal DER INTEGER contents.
 */
export function randomSelfSignedSerial(): Uint8Array {
  const bytes = randomPool(8);
  bytes[0]! &= 0x7f;
  return minimalPositiveInteger(bytes);
}

const SERIAL_BYTES = 20;
// One CSPRNG call per 256 serials: a call per serial costs more than the rest of the serial's work
// in bulk issuance. The pool is never reused: each serial takes fresh bytes.
const POOL_SIZE = SERIAL_BYTES * 256;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomPool(length: number): Uint8Array {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = new Uint8Array(pool.subarray(poolOffset, poolOffset + length));
  poolOffset += length;
  return out;
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
