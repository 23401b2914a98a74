import type { Milliseconds } from '../duration.js';
import type { ParsedCertificate } from '../x509/parse.js';
import { certificateFacts, type CertificateFacts } from '../bundle/certificate-facts.js';
import { ROTATION_FILE_PREFIXES } from '../bundle/rotation-files.js';
import type { BundleInventory, LifecycleRole } from './inventory.js';

/** Where a certificate was found: in a bundle, in a deployed configuration's files, or served live. */
export type ExpirationSource = 'bundle' | 'deployed' | 'endpoint';

/** One certificate to report on, and where it was seen. */
export interface ExpirationInput {
  readonly certificate: ParsedCertificate;
  readonly role: LifecycleRole;
  /** The member or client it belongs to; null for the bundle's own CA. */
  readonly owner: string | null;
  /** The file (bundle path, path on the node) or endpoint URL it was seen at. */
  readonly location: string;
  readonly source: ExpirationSource;
}

/** How urgent a certificate is. */
export type ExpirationStatus = 'expired' | 'expiring' | 'ok';

/** One row of the report: one certificate, however many files hold it. */
export interface ExpirationEntry extends CertificateFacts {
  readonly role: LifecycleRole;
  /** Members and clients whose files hold it (sorted); empty for the bundle's own CA. */
  readonly owners: readonly string[];
  /** Every file or endpoint it was seen at. */
  readonly locations: readonly string[];
  /** notAfter - now: negative once expired. */
  readonly remaining: Milliseconds;
  readonly status: ExpirationStatus;
}

export interface ExpirationReport {
  readonly now: Date;
  /** Certificates expiring within this are `expiring`. */
  readonly threshold: Milliseconds;
  /** Most urgent first: soonest notAfter, then CA before leaves, then by owner. */
  readonly entries: readonly ExpirationEntry[];
  readonly expired: number;
  readonly expiring: number;
}

export interface ExpirationReportOptions {
  readonly certificates: readonly ExpirationInput[];
  readonly now: Date;
  /** Certificates whose notAfter is within this of `now` are `expiring`. */
  readonly threshold: Milliseconds;
}

// Equal expiry: the CA first (everything under it goes with it), then servers, peers, clients.
const ROLE_ORDER: Record<LifecycleRole, number> = { ca: 0, server: 1, peer: 2, client: 3 };

/**
 * The expiration report: each distinct certificate once (a CA copied into every member's
 * directory is one row naming every file), with its residual validity and issuing CA, most
 * urgent first.
 */
export function expirationReport(options: ExpirationReportOptions): ExpirationReport {
  const rows = new Map<string, { facts: CertificateFacts; role: LifecycleRole; owners: Set<string>; locations: string[] }>();
  for (const input of options.certificates) {
    const facts = certificateFacts(input.certificate);
    const row = rows.get(facts.fingerprint) ?? { facts, role: input.role, owners: new Set<string>(), locations: [] };
    if (input.owner !== null) row.owners.add(input.owner);
    if (!row.locations.includes(input.location)) row.locations.push(input.location);
    // A leaf role wins over `ca` only if the same bytes were seen as a leaf (never in a sane bundle).
    if (ROLE_ORDER[input.role] > ROLE_ORDER[row.role]) row.role = input.role;
    rows.set(facts.fingerprint, row);
  }
  const now = options.now.getTime();
  const entries = [...rows.values()].map(({ facts, role, owners, locations }): ExpirationEntry => {
    const remaining = facts.notAfter.getTime() - now;
    return {
      ...facts,
      role,
      owners: [...owners].sort(),
      locations,
      remaining,
      status: remaining <= 0 ? 'expired' : remaining <= options.threshold ? 'expiring' : 'ok',
    };
  });
  entries.sort(
    (a, b) =>
      a.notAfter.getTime() - b.notAfter.getTime() ||
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      (a.owners[0] ?? '').localeCompare(b.owners[0] ?? ''),
  );
  return {
    now: options.now,
    threshold: options.threshold,
    entries,
    expired: entries.filter((e) => e.status === 'expired').length,
    expiring: entries.filter((e) => e.status === 'expiring').length,
  };
}

/**
 * Every certificate of a bundle in use: the CA (and, during a CA rotation, the new CA and the
 * trust bundles' CAs), each member's server and peer certificate, each client's. A retired CA
 * kept in `ca/` after a rotation is left out: nothing trusts it any more.
 */
export function bundleExpirationInputs(inventory: BundleInventory): ExpirationInput[] {
  return inventory.certificates
    .filter((file) => !ROTATION_FILE_PREFIXES.retired.some((prefix) => file.path.startsWith(prefix)))
    .flatMap((file) =>
      file.certificates.map((certificate) => ({
        certificate,
        role: file.role,
        owner: file.owner,
        location: file.path,
        source: 'bundle' as const,
      })),
    );
}

/**
 * `3d4h`, `5h12m`, `-2d` (expired two days ago): the residual time at the precision an operator
 * needs. Days from 2 days up, else hours and minutes.
 */
export function formatRemaining(ms: Milliseconds): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days >= 2) return `${sign}${days}d`;
  if (hours >= 1) return `${sign}${hours}h${minutes % 60}m`;
  return `${sign}${minutes}m`;
}
