import { createPkiCrypto } from '../../src/crypto.js';
import type { FileSet } from '../../src/fileset.js';
import { validateClusterDescription } from '../../src/bundle/load.js';
import { planClusterBundle } from '../../src/bundle/plan.js';
import type { ClusterJson } from '../../src/bundle/types.js';

/** One crypto seam for the lifecycle tests. */
export const crypto = createPkiCrypto();

/** Issuance time of the test bundles: fixed, so that residual times are exact. */
export const MADE = new Date('2026-01-01T00:00:00Z');

/** The walkthrough's three members on the lifecycle tests' loopback addresses, and etcdctl. */
export const THREE_MEMBERS: ClusterJson = {
  members: [
    { name: 'etcd1', hosts: ['127.0.0.31'] },
    { name: 'etcd2', hosts: ['127.0.0.32'] },
    { name: 'etcd3', hosts: ['127.0.0.33'] },
  ],
  clients: [{ name: 'etcdctl' }, { name: 'kube-apiserver' }],
  pkiDir: '/etc/etcd/pki',
};

/** A bundle as cluster-bundle plans it, as the files map the lifecycle functions read. */
export async function makeBundle(json: ClusterJson = THREE_MEMBERS, now: Date = MADE): Promise<Map<string, Uint8Array>> {
  const cluster = validateClusterDescription(json);
  const plan = await planClusterBundle({ cluster, now, crypto });
  return apply(new Map(), plan);
}

/** The bundle after writing `set` and removing `removals`, as the CLI applies a plan. */
export function apply(bundle: ReadonlyMap<string, Uint8Array>, set: FileSet, removals: readonly string[] = []): Map<string, Uint8Array> {
  const next = new Map(bundle);
  for (const file of set.files) {
    next.set(file.path, typeof file.contents === 'string' ? new TextEncoder().encode(file.contents) : file.contents);
  }
  for (const path of removals) next.delete(path);
  return next;
}

export function text(bundle: ReadonlyMap<string, Uint8Array>, path: string): string {
  const bytes = bundle.get(path);
  if (bytes === undefined) throw new Error(`${path} is not in the bundle`);
  return Buffer.from(bytes).toString('utf8');
}

/** How many PEM certificates a file holds. */
export function certificateCount(bundle: ReadonlyMap<string, Uint8Array>, path: string): number {
  return text(bundle, path).match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
}
