import { TAG, tlv } from '../../asn1/der.js';
import { OID } from '../../asn1/oids.js';
import { certificateExtension, memoised, type CertificateExtension } from './extension.js';

/**
 * KeyUsage (RFC 5280 4.2.1.3), critical as cfssl writes it. `bits` is Go's x509.KeyUsage bit set
 * (bit i = named bit i). Encoded as Go does: one or two bytes, trailing zero bits unused.
 */
export const keyUsageExtension: (bits: number) => CertificateExtension = memoised((bits: number) => {
  const bytes = bits > 0xff ? [reverse(bits & 0xff), reverse(bits >> 8)] : [reverse(bits)];
  const last = bytes[bytes.length - 1]!;
  const unusedBits = last === 0 ? 0 : countTrailingZeros(last);
  // BIT STRING contents: the number of unused bits in the last octet, then the octets (X.690 8.6.2).
  return certificateExtension(OID.keyUsage, true, tlv(TAG.bitString, Uint8Array.of(unusedBits, ...bytes)));
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
