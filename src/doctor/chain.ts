import { isSignedBy, type ParsedCertificate } from '../x509/parse.js';
import { subjectNameOf } from '../x509/name.js';

/** The outcome of building a chain from a leaf to a trusted CA. */
export type ChainResult =
  | { readonly ok: true; /** Leaf first, the trusted CA last. */ readonly path: readonly ParsedCertificate[] }
  | { readonly ok: false; readonly reason: string };

const MAX_DEPTH = 8;

/**
 * Builds a chain as Go's `x509.Verify` does for etcd: from the leaf, through intermediates found
 * in the leaf's own file, to a certificate of `trusted`, checking every signature. Validity dates
 * and usages are separate checks. A leaf that is itself in `trusted` is trusted.
 */
export async function verifyChain(chain: readonly ParsedCertificate[], trusted: readonly ParsedCertificate[]): Promise<ChainResult> {
  const leaf = chain[0];
  if (!leaf) return { ok: false, reason: 'no certificate' };
  if (trusted.length === 0) return { ok: false, reason: 'no trusted CA certificate' };
  if (trusted.some((t) => sameCertificate(t, leaf))) return { ok: true, path: [leaf] };
  const intermediates = chain.slice(1);
  const path: ParsedCertificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    for (const root of trusted) {
      if (sameName(root.subject, current.issuer) && (await isSignedBy(current, root))) return { ok: true, path: [...path, root] };
    }
    let next: ParsedCertificate | undefined;
    for (const candidate of intermediates) {
      if (
        !path.includes(candidate) &&
        candidate.isCA &&
        sameName(candidate.subject, current.issuer) &&
        (await isSignedBy(current, candidate))
      ) {
        next = candidate;
        break;
      }
    }
    if (!next) break;
    path.push(next);
    current = next;
  }
  const issuer = commonNameOf(current, 'issuer');
  const named = trusted.filter((t) => sameName(t.subject, current.issuer));
  const reason =
    named.length > 0
      ? `"${commonNameOf(current, 'subject')}" names "${issuer}" as its issuer, but the trusted CA of that name did not sign it (a CA of the same name made again?)`
      : `"${commonNameOf(current, 'subject')}" is issued by "${issuer}", which is not among the trusted CAs (${trusted.map((t) => `"${commonNameOf(t, 'subject')}"`).join(', ')})`;
  return { ok: false, reason };
}

/** The CN of the subject or issuer, else the whole name. */
export function commonNameOf(certificate: ParsedCertificate, which: 'subject' | 'issuer'): string {
  const name = which === 'subject' ? certificate.subject : certificate.issuer;
  return subjectNameOf(name).commonName ?? '(no CN)';
}

export function sameCertificate(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return Buffer.from(a.der).equals(Buffer.from(b.der));
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}
