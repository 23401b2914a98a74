import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids.js';
import { makeExtension, memoised } from './extension.js';

/**
 * KeyUsage (RFC 5280 4.2.1.3), critical as cfssl writes it. `bits` is Go's x509.KeyUsage bit set
 * (bit i = named bit i). Encoded as Go does: one or two bytes, trailing zero bits unused.
 */
export const keyUsageExtension: (bits: number) => pkijs.Extension = memoised((bits: number) => {
  const bytes = bits > 0xff ? [reverse(bits & 0xff), reverse(bits >> 8)] : [reverse(bits)];
  const last = bytes[bytes.length - 1]!;
  const unusedBits = last === 0 ? 0 : countTrailingZeros(last);
  return makeExtension(
    OID.keyUsage,
    true,
    new asn1js.BitString({ valueHex: new Uint8Array(bytes).buffer, unusedBits }),
  );
});

/** The KeyUsage bit set in a BIT STRING as RFC 5280 names the bits. */
export function keyUsageBitsFrom(bitString: Uint8Array): number {
  return reverse(bitString[0] ?? 0) | (reverse(bitString[1] ?? 0) << 8);
}

function reverse(byte: number): number {
  let out = 0;
  for (let i = 0; i < 8; i++) if (byte & (1 << i)) out |= 1 << (7 - i);
  return out;
}

function countTrailingZeros(byte: number): number {
  let n = 0;
  while (n < 8 && !(byte & (1 << n))) n++;
  return n;
}
