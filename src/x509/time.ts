import { valueOf, type Element } from '../asn1/der-read.js';

/** RFC 3339 in UTC without fractions (`2026-11-25T12:53:00Z`), as cfssl certinfo prints times. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The forms Go's x509 parser accepts, which cfssl therefore reads: UTCTime YYMMDDhhmm[ss] and
// GeneralizedTime YYYYMMDDhhmmss[.fff], each with Z or a +hhmm/-hhmm offset (RFC 5280 4.1.2.5
// asks for seconds and Z; older certificates may not have them).
const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?(Z|[+-]\d{4})$/;

/**
 * The instant of a UTCTime (tag 0x17) or GeneralizedTime (0x18) element. UTCTime years 50-99 are
 * 1950-1999 (RFC 5280 4.1.2.5.1).
 * @throws RangeError for another tag, another form or an impossible date.
 */
export function readTime(der: Uint8Array, element: Element): Date {
  const text = Buffer.from(valueOf(der, element)).toString('latin1');
  const match = element.tag === 0x17 ? UTC_TIME.exec(text) : element.tag === 0x18 ? GENERALIZED_TIME.exec(text) : null;
  if (!match) throw new RangeError(`not a UTCTime or GeneralizedTime: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s = '00', ...rest] = match;
  const zone = rest.at(-1)!;
  const fraction = element.tag === 0x18 ? rest[0] : undefined;
  let year = Number(y);
  if (element.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const fields = [year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  const date = new Date(0);
  date.setUTCFullYear(fields[0], fields[1], fields[2]);
  date.setUTCHours(fields[3], fields[4], fields[5], fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0);
  // Date rolls 31 February over into March: a field out of range shows as a changed field.
  if (
    date.getUTCFullYear() !== fields[0] ||
    date.getUTCMonth() !== fields[1] ||
    date.getUTCDate() !== fields[2] ||
    date.getUTCHours() !== fields[3] ||
    date.getUTCMinutes() !== fields[4] ||
    date.getUTCSeconds() !== fields[5]
  ) {
    throw new RangeError(`not a valid time: ${JSON.stringify(text)}`);
  }
  if (zone !== 'Z') {
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
    date.setTime(date.getTime() - (zone[0] === '+' ? 1 : -1) * minutes * 60_000);
  }
  return date;
}
