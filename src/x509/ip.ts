import { isIPv6 } from 'node:net';

// Dotted decimal without leading zeros, as node:net's isIPv4 accepts it; the captures save a
// second parse in bulk issuance, where every member's hosts go through here twice.
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** The 4 or 16 bytes of an IP address (RFC 5280 4.2.1.6 iPAddress), or undefined if not an IP. */
export function ipToBytes(text: string): Uint8Array | undefined {
  const v4 = IPV4.exec(text);
  if (v4) return Uint8Array.of(Number(v4[1]), Number(v4[2]), Number(v4[3]), Number(v4[4]));
  if (!text.includes(':') || !isIPv6(text) || text.includes('%')) return undefined;
  let address = text;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    tail.push(...dotted[1]!.split('.').map(Number));
    address = address.slice(0, -dotted[1]!.length) + '0:0';
  }
  const [head = '', rest] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  if (tail.length) bytes.set(tail, 12);
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
  for (let i = 0; i < 8; ) {
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
