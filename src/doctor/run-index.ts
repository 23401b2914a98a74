import type { DeployedMember } from '../etcd-config/model.js';
import { parseEtcdUrl, type EtcdUrl } from '../etcd-config/urls.js';
import type { CheckContext } from './context.js';

/**
 * What the checks of one doctor run look up again and again, made once: parsed URLs, the member
 * at each peer URL and of each name, and values the per-member checks compare every member with.
 * Every member's initial cluster lists every member, so a bundle of n members holds n^2 URLs;
 * with these lookups the checks stay linear in that (n^2), where scanning the members for each
 * URL was n^3 (a 400-member bundle took 273 s).
 */
export interface RunIndex {
  /** parseEtcdUrl, once per distinct text. */
  url(text: string): EtcdUrl;
  /** A key equal for two URLs exactly when sameUrl says they are the same place. */
  urlKey(text: string): string;
  /** The first member whose advertised peer URLs include `url`. */
  memberAtPeerUrl(url: string): DeployedMember | undefined;
  /** The first member named `name`. */
  memberNamed(name: string): DeployedMember | undefined;
  /** `make()` once per run for `key` (a value every member is compared with). */
  once<T>(key: string, make: () => T): T;
}

// Keyed by the run's context, so an index lives exactly as long as its run.
const indexes = new WeakMap<CheckContext, RunIndex>();

/** The index of `context`'s run, made on first use. */
export function runIndex(context: CheckContext): RunIndex {
  let index = indexes.get(context);
  if (!index) {
    index = makeIndex(context.members);
    indexes.set(context, index);
  }
  return index;
}

function makeIndex(members: readonly DeployedMember[]): RunIndex {
  const parsed = new Map<string, EtcdUrl>();
  const url = (text: string): EtcdUrl => {
    let found = parsed.get(text);
    if (!found) {
      found = parseEtcdUrl(text);
      parsed.set(text, found);
    }
    return found;
  };
  // sameUrl: scheme and address when both parse, else the text itself.
  const urlKey = (text: string): string => {
    const u = url(text);
    return u.ok ? `${u.scheme}://${u.address}` : `raw:${text}`;
  };
  let byPeerUrl: Map<string, DeployedMember> | undefined;
  let byName: Map<string, DeployedMember> | undefined;
  const values = new Map<string, unknown>();
  return {
    url,
    urlKey,
    memberAtPeerUrl(text) {
      if (!byPeerUrl) {
        byPeerUrl = new Map();
        for (const member of members) {
          for (const peerUrl of member.initialAdvertisePeerUrls) {
            const key = urlKey(peerUrl);
            if (!byPeerUrl.has(key)) byPeerUrl.set(key, member);
          }
        }
      }
      // An unparsable URL is the same place only as the same text (sameUrl), never another member's.
      return byPeerUrl.get(urlKey(text));
    },
    memberNamed(name) {
      if (!byName) {
        byName = new Map();
        for (const member of members) if (!byName.has(member.name)) byName.set(member.name, member);
      }
      return byName.get(name);
    },
    once<T>(key: string, make: () => T): T {
      if (!values.has(key)) values.set(key, make());
      return values.get(key) as T;
    },
  };
}
