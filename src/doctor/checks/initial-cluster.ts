import { describeSetting, keyName } from '../../etcd-config/member-config.js';
import type { DeployedMember, InitialClusterEntry } from '../../etcd-config/model.js';
import { sameUrl } from '../../etcd-config/urls.js';
import { perMember, type Check, type CheckContext } from '../context.js';
import { runIndex } from '../run-index.js';

const clusterText = (member: DeployedMember) => describeSetting(member.settings, 'initial-cluster');
const entryText = (entry: InitialClusterEntry) => `${entry.name}=${entry.url}`;
const urlsEqual = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((u) => b.some((v) => sameUrl(u, v))) && b.every((u) => a.some((v) => sameUrl(u, v)));

/** The member whose advertised peer URLs include `url`. */
function memberAt(context: CheckContext, url: string): DeployedMember | undefined {
  return runIndex(context).memberAtPeerUrl(url);
}

/**
 * cluster.initial-cluster-self: the initial cluster has the member's own name with exactly its
 * advertised peer URLs (etcd: `couldn't find local name "etcd4" in the initial cluster
 * configuration`, or `--initial-cluster has etcd1=... but missing from --initial-advertise-peer-urls`).
 */
export const checkInitialClusterSelf: Check = (context) =>
  perMember(
    context,
    'cluster.initial-cluster-self',
    (member, sink) => {
      const mine = member.initialCluster.filter((e) => e.name === member.name);
      const clusterKey = keyName(member.settings, 'initial-cluster');
      const advertiseKey = keyName(member.settings, 'initial-advertise-peer-urls');
      if (mine.length === 0) {
        const renamed = member.initialCluster.find((e) => member.initialAdvertisePeerUrls.some((u) => sameUrl(u, e.url)));
        sink.fail(
          `${describeSetting(member.settings, 'name', 'default')} is not among the names of ${clusterText(member)}; etcd fails with "couldn't find local name "${member.name}" in the initial cluster configuration"`,
          renamed
            ? `in ${clusterKey}, rename "${renamed.name}" to "${member.name}": ${member.name}=${renamed.url}`
            : `add ${member.initialAdvertisePeerUrls.map((u) => `${member.name}=${u}`).join(',')} to ${clusterKey}`,
        );
        return;
      }
      const urls = mine.map((e) => e.url);
      if (!urlsEqual(urls, member.initialAdvertisePeerUrls)) {
        sink.fail(
          `${clusterKey} gives ${mine.map(entryText).join(',')} but ${describeSetting(member.settings, 'initial-advertise-peer-urls', 'http://localhost:2380')}; etcd refuses to start ("--initial-cluster has ${entryText(mine[0]!)} but missing from --initial-advertise-peer-urls")`,
          `make them the same URL: ${advertiseKey} and ${clusterKey}'s ${member.name}= entry both ${member.initialAdvertisePeerUrls.length === 1 && urls.length === 1 ? `${member.initialAdvertisePeerUrls[0]} or ${urls[0]}, whichever is this member's address` : "this member's peer URLs"}`,
        );
      }
    },
    (member) => `${member.name}=${member.initialAdvertisePeerUrls.join(',')} is in the initial cluster`,
  );

/**
 * cluster.initial-cluster-names: each name in a member's initial cluster is the name of the
 * member that advertises that URL (the walkthrough's `k8s=https://192.168.0.92:2380` for etcd2),
 * and no URL is listed twice.
 */
export const checkInitialClusterNames: Check = (context) =>
  perMember(
    context,
    'cluster.initial-cluster-names',
    (member, sink) => {
      const clusterKey = keyName(member.settings, 'initial-cluster');
      const index = runIndex(context);
      const first = new Map<string, number>();
      member.initialCluster.forEach((entry, at) => {
        const key = index.urlKey(entry.url);
        if (!first.has(key)) first.set(key, at);
      });
      member.initialCluster.forEach((entry, index) => {
        const twice = first.get(runIndex(context).urlKey(entry.url))!;
        if (twice !== index) {
          sink.fail(
            `${clusterKey} lists ${entry.url} twice (${entryText(member.initialCluster[twice]!)} and ${entryText(entry)})`,
            `keep one entry per member in ${clusterKey}`,
          );
          return;
        }
        const owner = memberAt(context, entry.url);
        if (owner && owner.name !== entry.name) {
          sink.fail(
            `${clusterKey} names ${entry.url} "${entry.name}", but the member there is "${owner.name}" (${describeSetting(owner.settings, 'name', 'default')}); the cluster will not form`,
            `write ${owner.name}=${entry.url} in ${clusterKey}`,
          );
        }
      });
    },
    (member) => {
      const known = member.initialCluster.filter((e) => memberAt(context, e.url));
      return known.length ? `${known.map((e) => e.name).join(', ')}: each is the name of the member at its URL` : undefined;
    },
  );

/**
 * cluster.unknown-member-url: every URL in an initial cluster belongs to a member (the walkthrough's
 * `https://192.168.0.4:2380` for 192.168.0.94). The live member list is checked the same way by
 * the endpoint checks.
 */
export const checkUnknownMemberUrl: Check = (context) =>
  perMember(
    context,
    'cluster.unknown-member-url',
    (member, sink) => {
      const clusterKey = keyName(member.settings, 'initial-cluster');
      for (const entry of member.initialCluster) {
        if (memberAt(context, entry.url)) continue;
        const named = runIndex(context).memberNamed(entry.name);
        if (named) {
          sink.fail(
            `${clusterKey} has ${entryText(entry)}, but ${named.label} advertises ${named.initialAdvertisePeerUrls.join(',')}; the other members dial a URL where nobody listens`,
            `write ${entry.name}=${named.initialAdvertisePeerUrls.join(`,${entry.name}=`)} in ${clusterKey}`,
          );
        } else if (context.complete) {
          sink.fail(
            `${clusterKey} has ${entryText(entry)}, but no member advertises ${entry.url} (members: ${context.members.map((m) => `${m.label} ${m.initialAdvertisePeerUrls.join(',')}`).join('; ')})`,
            `correct the URL to a member's ETCD_INITIAL_ADVERTISE_PEER_URLS, or remove the entry`,
          );
        }
      }
    },
    (member) => {
      const unchecked = member.initialCluster.filter((e) => !memberAt(context, e.url) && !runIndex(context).memberNamed(e.name));
      return unchecked.length
        ? `${member.initialCluster.length - unchecked.length} URLs belong to members; ${unchecked.map(entryText).join(', ')} not checked (no configuration given for ${unchecked.map((e) => e.name).join(', ')})`
        : 'every URL of the initial cluster belongs to a member';
    },
  );

const canonical = (member: DeployedMember) => member.initialCluster.map(entryText).sort().join(',');

/**
 * cluster.initial-cluster-agree: members bootstrapping together (state `new`) list the same
 * initial cluster (else each forms its own cluster: "request cluster ID mismatch"); a member that
 * joins later (`existing`) lists at least every founding member.
 */
export const checkInitialClusterAgree: Check = (context) =>
  perMember(
    context,
    'cluster.initial-cluster-agree',
    (member, sink) => {
      const agreed = runIndex(context).once('initial-cluster-agree', () => {
        const founders = context.members.filter((m) => m.initialClusterState === 'new');
        const canonicals = new Map<DeployedMember, string>(context.members.map((m) => [m, canonical(m)]));
        const counts = new Map<string, DeployedMember[]>();
        for (const m of founders) {
          const text = canonicals.get(m)!;
          const holders = counts.get(text);
          if (holders) holders.push(m);
          else counts.set(text, [m]);
        }
        const largest = [...counts.entries()].sort((a, b) => b[1].length - a[1].length)[0];
        return { founders, canonicals, counts, largest };
      });
      const { counts, canonicals, largest } = agreed;
      if (!largest) return;
      const [majority, holders] = largest;
      const clusterKey = keyName(member.settings, 'initial-cluster');
      if (member.initialClusterState === 'new') {
        if (canonicals.get(member) === majority || counts.size === 1) return;
        sink.fail(
          `${clusterText(member)}, but ${holders.map((h) => h.label).join(', ')} ${holders.length === 1 ? 'lists' : 'list'} ${majority}; members that start with different initial clusters form different clusters ("request cluster ID mismatch")`,
          `use the same ${clusterKey} on every member: ${majority}`,
        );
        return;
      }
      const reference = holders[0]!;
      const index = runIndex(context);
      const listed = new Set(member.initialCluster.map((m) => `${m.name}=${index.urlKey(m.url)}`));
      const missing = reference.initialCluster.filter((e) => !listed.has(`${e.name}=${index.urlKey(e.url)}`));
      if (missing.length > 0) {
        sink.fail(
          `${member.label} joins an existing cluster, but its ${clusterKey} lacks ${missing.map(entryText).join(', ')}, which ${holders.map((h) => h.label).join(', ')} ${holders.length === 1 ? 'lists' : 'list'}; etcd refuses ("member count is unequal")`,
          `list every current member and ${member.name} in ${clusterKey} (the output of "etcdctl member add" gives it)`,
        );
      }
    },
    (member) =>
      `${member.initialCluster.length} members: ${member.initialCluster.map((e) => e.name).join(', ')}, as the other members list them`,
  );

/** cluster.token: every member has the same initial cluster token (it seeds the cluster ID). */
export const checkToken: Check = (context) =>
  perMember(
    context,
    'cluster.token',
    (member, sink) => {
      const byToken = runIndex(context).once('token', () => {
        const tokens = new Map<string, DeployedMember[]>();
        for (const m of context.members) {
          const holders = tokens.get(m.initialClusterToken);
          if (holders) holders.push(m);
          else tokens.set(m.initialClusterToken, [m]);
        }
        return tokens;
      });
      if (byToken.size < 2) return;
      const [majority, holders] = [...byToken.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
      if (member.initialClusterToken === majority) return;
      sink.fail(
        `${describeSetting(member.settings, 'initial-cluster-token', 'etcd-cluster')}, but ${holders.map((h) => h.label).join(', ')} use "${majority}"; a different token makes a different cluster ID and the member is refused ("request cluster ID mismatch")`,
        `set ${keyName(member.settings, 'initial-cluster-token')}="${majority}"`,
      );
    },
    (member) => `token "${member.initialClusterToken}"${context.members.length > 1 ? ', the same on every member' : ''}`,
  );

/**
 * cluster.state: `new` or `existing`; a member the founders do not list must be `existing` (it is
 * added with `etcdctl member add`), and an `existing` member needs peers to join.
 */
export const checkState: Check = (context) =>
  perMember(
    context,
    'cluster.state',
    (member, sink) => {
      const stateKey = keyName(member.settings, 'initial-cluster-state');
      const state = member.initialClusterState;
      if (state !== 'new' && state !== 'existing') {
        sink.fail(
          `${describeSetting(member.settings, 'initial-cluster-state', 'new')} is neither "new" nor "existing"; etcd refuses to start`,
          `set ${stateKey}="new" for a founding member, "existing" for one added later`,
        );
        return;
      }
      const others = member.initialCluster.filter((e) => e.name !== member.name);
      if (state === 'existing' && others.length === 0) {
        sink.fail(
          `${stateKey}="existing", but ${clusterText(member)} lists no other member to join`,
          'list every current member and this one in the initial cluster (as "etcdctl member add" prints it)',
        );
        return;
      }
      const index = runIndex(context);
      // Who lists each name and each URL: the founders, at most two of them (one may be the member itself).
      const listing = index.once('state-listing', () => {
        const by = new Map<string, DeployedMember[]>();
        const add = (key: string, founder: DeployedMember) => {
          const holders = by.get(key);
          if (!holders) by.set(key, [founder]);
          else if (holders.length < 2 && !holders.includes(founder)) holders.push(founder);
        };
        for (const founder of context.members) {
          if (founder.initialClusterState !== 'new') continue;
          for (const e of founder.initialCluster) {
            add(`name:${e.name}`, founder);
            add(`url:${index.urlKey(e.url)}`, founder);
          }
        }
        return by;
      });
      const founders = context.members.filter((m) => m !== member && m.initialClusterState === 'new');
      if (state === 'new' && founders.length > 0) {
        const keys = [`name:${member.name}`, ...member.initialAdvertisePeerUrls.map((u) => `url:${index.urlKey(u)}`)];
        const listedByFounders = keys.some((key) => (listing.get(key) ?? []).some((f) => f !== member));
        if (!listedByFounders) {
          sink.fail(
            `${stateKey}="new", but no founding member (${founders.map((f) => f.label).join(', ')}) lists ${member.name}: started so, it forms a cluster of its own ("request cluster ID mismatch")`,
            `add it with "etcdctl member add ${member.name} --peer-urls=${member.initialAdvertisePeerUrls.join(',')}" and set ${stateKey}="existing"`,
          );
        }
      }
    },
    (member) => `state "${member.initialClusterState}"`,
  );
