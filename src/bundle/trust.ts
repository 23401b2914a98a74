import { PkiError } from '../errors.js';
import { BUNDLE_FILES } from './layout.js';
import type { ClusterDescription, TrustLayout } from './types.js';

/**
 * The bundle's trust layout: as the description says, else what the bundle on disk has: a bundle
 * with a CA but no peer CA was made single-CA (before etcd-pki had trust, or with `-single-ca`)
 * and stays so, since issuing its members peer certificates from a new CA at once would cut the
 * members off from each other (docs: moving a bundle to separate CAs without downtime); anything
 * else, a new bundle included, is `separate`.
 */
export function bundleTrust(cluster: ClusterDescription, existing: ReadonlyMap<string, Uint8Array>): TrustLayout {
  if (cluster.trust !== undefined) return cluster.trust;
  if (existing.has(BUNDLE_FILES.caCertificate) && !existing.has(BUNDLE_FILES.peerCaCertificate)) return 'single';
  return 'separate';
}

/**
 * Refuses `separate` straight over a single-CA bundle: its members' peer certificates would come
 * from a CA that no running member trusts yet, and the cluster would lose quorum as they are
 * installed. The way without downtime goes through `migrating` (docs/trust.md).
 * @throws PkiError INVALID_CLUSTER naming ca/ and the steps.
 */
export function assertTrustTransition(trust: TrustLayout, existing: ReadonlyMap<string, Uint8Array>): void {
  if (trust !== 'separate' || !existing.has(BUNDLE_FILES.caCertificate) || existing.has(BUNDLE_FILES.peerCaCertificate)) return;
  throw new PkiError(
    'INVALID_CLUSTER',
    'this bundle has one CA for both ports; going to separate CAs in one step would cut the members off from each other',
    {
      file: BUNDLE_FILES.caCertificate,
      hint: "run it with -trust migrating, install every member's files and restart the members one by one, then run it with -trust separate, install, and restart them one by one again (or keep -single-ca)",
    },
  );
}
