// Dotted decimal without leading zeros, as node:net's isIPv4 accepts it; the captures save a
// second parse in bulk issuance, where every member's hosts go through here twice.
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * The 4 or 16 bytes of an IP address (RFC 5280 4.2.1.6 iPAddress), or undefined if not an IP.
 * IPv6 is read here rather than checked with node:net's isIPv6, which accepts the same texts (bar
 * zone IDs, refused here: a certificate has no interface) but loads node:net and compiles a
 * regular expression of several kilobytes on first use, milliseconds of a short command.
 */
export function ipToBytes(text: string): Uint8Array | undefined {
  const v4 = IPV4.exec(text);
  if (v4) return Uint8Array.of(Number(v4[1]), Number(v4[2]), Number(v4[3]), Number(v4[4]));
  if (!text.includes(':')) return undefined;
  const words = ipv6Words(text);
  if (!words) return undefined;
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

/**
 * The eight 16-bit words of an IPv6 address in RFC 4291 2.2 text form: up to eight groups of one
 * to four hex digits, at most one "::" standing for one or more zero groups, and the last 32 bits
 * optionally as dotted decimal.
 */
function ipv6Words(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const words: number[][] = [[], []];
  for (let h = 0; h < groups.length; h++) {
    const half = groups[h]!;
    for (let g = 0; g < half.length; g++) {
      const group = half[g]!;
      if (HEX_GROUP.test(group)) {
        words[h]!.push(parseInt(group, 16));
        continue;
      }
      const isLast = h === groups.length - 1 && g === half.length - 1;
      const v4 = isLast ? IPV4.exec(group) : null;
      if (!v4) return undefined;
      words[h]!.push((Number(v4[1]) << 8) | Number(v4[2]), (Number(v4[3]) << 8) | Number(v4[4]));
    }
  }
  const [left, right] = words as [number[], number[]];
  const explicit = left.length + right.length;
  if (groups.length === 1) return explicit === 8 ? left : undefined;
  if (explicit > 7) return undefined;
  return [...left, ...Array<number>(8 - explicit).fill(0), ...right];
}

/**
 * The bytes Go's x509 writes for an iPAddress SAN: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
 * as its 4 IPv4 bytes (net.IP.To4), anything else as ipToBytes gives it.
 */
export function ipSanBytes(text: string): Uint8Array | undefined {
  const bytes = ipToBytes(text);
  if (bytes?.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12);
  }
  return bytes;
}

/** Text form of 4 or 16 address bytes, as Go's net.IP.String() prints it (IPv4-mapped as dotted). */
export function ipToText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return Buffer.from(bytes).toString('hex');
  const isMapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return Array.from(bytes.subarray(12)).join('.');
  const words = Array.from({ length: 8 }, (_, i) => (bytes[i * 2]! << 8) | bytes[i * 2 + 1]!);
  // RFC 5952 4.2: compress the longest run of two or more zero words.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
