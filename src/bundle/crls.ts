import type { Milliseconds } from '../duration.js';
import { PkiError } from '../errors.js';
import { PEM_LABELS, encodePem } from '../pem/pem.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { signCrl, type RevocationReason, type RevokedEntry } from '../x509/crl.js';
import { crlIssuedBy, parseCrl, type ParsedCrl } from '../x509/crl-read.js';
import { serialToDecimal } from '../x509/serial.js';
import { parseCertificate } from '../x509/parse.js';
import type { CredentialRequest } from './credentials.js';
import { BUNDLE_FILES } from './layout.js';
import type { CertificateRole, TrustLayout } from './types.js';

/** A certificate to add to a CRL on this run. */
export interface Revocation {
  /** Minimal DER INTEGER contents of its serial. */
  readonly serial: Uint8Array;
  readonly reason?: RevocationReason | undefined;
  /** What it was, for messages: `client etcdctl`, `peer etcd3`. */
  readonly what: string;
}

export interface PlanCrlOptions {
  /** The CA whose certificates it lists, which signs it. */
  readonly ca: CertificateAuthority;
  /** Its path in the bundle (ca/client-crl.pem ...), for messages. */
  readonly path: string;
  /** The bundle's CRL at that path from an earlier run, if any. */
  readonly existing: Uint8Array | undefined;
  readonly now: Date;
  /** nextUpdate - thisUpdate of a CRL signed now. */
  readonly validity: Milliseconds;
  /** Certificates to add. Default none. */
  readonly add?: readonly Revocation[];
  /** Sign it again even when it is fresh (`revoke -refresh`). Default false. */
  readonly refresh?: boolean;
}

/** What happened to a CRL on this run. */
export type CrlStatus = 'new' | 'kept' | 're-signed';

/** A bundle CRL, planned. */
export interface PlannedCrl {
  readonly pem: string | Uint8Array;
  readonly crl: ParsedCrl;
  readonly status: CrlStatus;
  readonly warning?: string;
}

// A kept CRL is signed again once less than this share of its validity, or 30 days, is left.
const REFRESH_DAYS = 30;

/**
 * A bundle's CRL for `ca`: the earlier run's kept byte for byte while it lists everything asked,
 * is the CA's and is fresh; otherwise signed anew (CRL number one higher) with its entries and
 * the additions, each dated now. etcd reads the file at every handshake and compares serials only
 * (3.4, measured: neither the signature nor nextUpdate), so what it lists takes effect on the
 * next connection once installed, and keeping it correct is etcd-pki's job.
 * @throws PkiError INVALID_CRL for an unreadable existing CRL (its revocations would be lost), or
 *   one another CA signed, unless `refresh`;
 *   INVALID_CLUSTER for a certificate it already lists.
 */
export async function planCrl(options: PlanCrlOptions): Promise<PlannedCrl> {
  const { ca, path, now } = options;
  let previous: ParsedCrl | undefined;
  let warning: string | undefined;
  if (options.existing !== undefined) {
    const parsed = parseCrl(options.existing, path);
    if (await crlIssuedBy(parsed, ca.certificate)) previous = parsed;
    else if (options.refresh)
      warning = `${path} was not signed by the CA it belongs to; a new one was made and its ${parsed.revoked.length} entries dropped`;
    else {
      // Signing over it would drop its entries, or keep another CA's list that etcd enforces by serial.
      throw new PkiError('INVALID_CRL', `${path} was not signed by the CA it belongs to (${parsed.revoked.length} entries)`, {
        file: path,
        hint: "put the bundle's own CRL back from a backup; if the CA was replaced (rotate-ca), etcd-pki revoke -refresh starts a new CRL for it",
      });
    }
  }
  const entries: RevokedEntry[] = (previous?.revoked ?? []).map((entry) => ({
    serial: entry.serial,
    revokedAt: entry.revokedAt,
    reason: entry.reason,
  }));
  for (const revocation of options.add ?? []) {
    if (entries.some((entry) => Buffer.compare(entry.serial, revocation.serial) === 0)) {
      throw new PkiError(
        'INVALID_CLUSTER',
        `the ${revocation.what} certificate (serial ${serialToDecimal(revocation.serial)}) is already revoked in ${path}`,
        {
          file: path,
          hint: 'nothing to do: etcd refuses it already wherever this CRL is installed; etcd-pki revoke -refresh signs the CRL again',
        },
      );
    }
    entries.push({ serial: revocation.serial, revokedAt: now, reason: revocation.reason });
  }
  const additions = (options.add ?? []).length;
  if (previous && additions === 0 && !options.refresh && fresh(previous, now, options.validity)) {
    return { pem: options.existing!, crl: previous, status: 'kept' };
  }
  const der = await signCrl(
    {
      issuer: ca.certificate.subject,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + options.validity),
      revoked: entries,
      authorityKeyId: ca.certificate.extensions.subjectKeyId,
      crlNumber: (previous?.crlNumber ?? 0n) + 1n,
    },
    ca.key,
  );
  const pem = encodePem(PEM_LABELS.crl, der);
  return { pem, crl: parseCrl(der, path), status: previous ? 're-signed' : 'new', ...(warning ? { warning } : {}) };
}

/** What planBundleCrls needs: the layout, each port's issuing CA, and what this run adds. */
export interface PlanBundleCrlsOptions {
  readonly trust: TrustLayout;
  /** The CA the client ports trust (ca/ca.pem). */
  readonly clientCa: CertificateAuthority;
  /** The CA that issues the peer certificates: the peer CA with trust `separate`, else clientCa. */
  readonly peerCa: CertificateAuthority;
  readonly existing: ReadonlyMap<string, Uint8Array>;
  readonly now: Date;
  readonly validity: Milliseconds;
  readonly refresh: boolean;
  readonly revoke: { readonly client?: readonly Revocation[]; readonly peer?: readonly Revocation[] };
}

/**
 * The bundle's two CRLs (ca/client-crl.pem, ca/peer-crl.pem). With one CA behind both ports
 * (`single`, `migrating`) they are one list, installed as both.
 */
export async function planBundleCrls(options: PlanBundleCrlsOptions): Promise<{ client: PlannedCrl; peer: PlannedCrl }> {
  const { trust, existing } = options;
  const common = { now: options.now, validity: options.validity, refresh: options.refresh };
  const client = await planCrl({
    ...common,
    ca: options.clientCa,
    path: BUNDLE_FILES.clientCrl,
    existing: existing.get(BUNDLE_FILES.clientCrl),
    add: [...(options.revoke.client ?? []), ...(trust === 'separate' ? [] : (options.revoke.peer ?? []))],
  });
  if (trust !== 'separate') return { client, peer: client };
  // A peer CRL the same as the client one is the one CA's, from the single or migrating layout: the
  // peer CA starts a list of its own (the peer ports no longer trust the CA the old one is for).
  const previous = existing.get(BUNDLE_FILES.peerCrl);
  const clientBytes = existing.get(BUNDLE_FILES.clientCrl);
  const inherited = previous !== undefined && clientBytes !== undefined && Buffer.from(previous).equals(Buffer.from(clientBytes));
  const peer = await planCrl({
    ...common,
    ca: options.peerCa,
    path: BUNDLE_FILES.peerCrl,
    existing: inherited ? undefined : previous,
    add: options.revoke.peer ?? [],
  });
  return { client, peer };
}

function fresh(crl: ParsedCrl, now: Date, validity: Milliseconds): boolean {
  if (crl.nextUpdate === undefined) return false;
  const margin = Math.min(REFRESH_DAYS * 86_400_000, validity / 3);
  return crl.nextUpdate.getTime() - now.getTime() > margin;
}

/**
 * `existing` without the certificate and key of any credential whose certificate a CRL lists: a
 * revoked certificate is never kept, and its key, which may have leaked, goes with it, so the
 * credential is made anew (new key, new certificate).
 */
export function withoutRevoked(
  existing: ReadonlyMap<string, Uint8Array>,
  requests: readonly CredentialRequest[],
  clientCrl: PlannedCrl,
  peerCrl: PlannedCrl,
): ReadonlyMap<string, Uint8Array> {
  if (clientCrl.crl.revoked.length === 0 && peerCrl.crl.revoked.length === 0) return existing;
  const revoked = (role: CertificateRole) =>
    new Set((role === 'peer' ? peerCrl : clientCrl).crl.revoked.map((entry) => Buffer.from(entry.serial).toString('hex')));
  const sets = { server: revoked('server'), peer: revoked('peer'), client: revoked('client') };
  let usable: Map<string, Uint8Array> | undefined;
  for (const request of requests) {
    request.certificatePaths.forEach((path, index) => {
      const bytes = existing.get(path);
      if (bytes === undefined) return;
      let serial: string;
      try {
        serial = Buffer.from(parseCertificate(bytes, path).serial).toString('hex');
      } catch {
        return;
      }
      if (!sets[request.role].has(serial)) return;
      usable ??= new Map(existing);
      usable.delete(path);
      usable.delete(request.keyPaths[index]!);
    });
  }
  return usable ?? existing;
}
