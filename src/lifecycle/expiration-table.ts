import { formatGoDuration } from '../duration.js';
import { printable } from '../printable.js';
import { rfc3339 } from '../x509/time.js';
import { formatRemaining, type ExpirationEntry, type ExpirationReport } from './expiration.js';

const STATUS_TEXT = { expired: 'EXPIRED', expiring: 'EXPIRING', ok: 'OK' } as const satisfies Record<ExpirationEntry['status'], string>;

/**
 * The report as an aligned table, most urgent first, and a summary line: STATUS, ROLE, MEMBER
 * (member or client; `*` for a CA every directory holds), CN, EXPIRES, REMAINING, ISSUER, SERIAL
 * and where it was seen (the first place, and how many more).
 */
export function formatExpirationTable(report: ExpirationReport): string {
  const header = ['STATUS', 'ROLE', 'MEMBER', 'CN', 'EXPIRES', 'REMAINING', 'ISSUER', 'SERIAL', 'SEEN AT'];
  // Certificate fields and paths come from anywhere (a served certificate's CN): escaped.
  const rows = report.entries.map((e) =>
    [
      STATUS_TEXT[e.status],
      e.role,
      ownersText(e.role, e.owners),
      e.commonName || '-',
      rfc3339(e.notAfter),
      formatRemaining(e.remaining),
      e.issuerCommonName || '-',
      e.serial,
      e.locations.length > 1 ? `${e.locations[0]} (+${e.locations.length - 1})` : (e.locations[0] ?? '-'),
    ].map(printable),
  );
  for (const crl of report.crls) {
    rows.push(
      [
        STATUS_TEXT[crl.status],
        'crl',
        '*',
        `${crl.revoked} revoked`,
        crl.nextUpdate ? rfc3339(crl.nextUpdate) : '-',
        crl.nextUpdate ? formatRemaining(crl.remaining) : '-',
        crl.issuer.replace(/^.*CN ?= ?/, '') || '-',
        crl.crlNumber !== undefined ? `#${crl.crlNumber}` : '-',
        crl.locations.length > 1 ? `${crl.locations[0]} (+${crl.locations.length - 1})` : (crl.locations[0] ?? '-'),
      ].map(printable),
    );
  }
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const summary =
    `${report.entries.length} certificate(s)${report.crls.length ? ` and ${report.crls.length} CRL(s)` : ''}; ${report.expired} expired, ${report.expiring} expiring within ` +
    `${formatGoDuration(report.threshold).replace(/0m0s$/, '')} (${Math.round(report.threshold / 86_400_000)} days)`;
  return [line(header), ...rows.map(line), summary].join('\n') + '\n';
}

function ownersText(role: ExpirationEntry['role'], owners: readonly string[]): string {
  if (owners.length === 0) return '-';
  if (role === 'ca' && owners.length > 1) return '*';
  return owners.length > 2 ? `${owners[0]} (+${owners.length - 1})` : owners.join(',');
}
