import { certificateNamesHost } from '../hostnames.js';
import { describeSetting, keyName } from '../../etcd-config/member-config.js';
import type { DeployedMember } from '../../etcd-config/model.js';
import { parseEtcdUrl } from '../../etcd-config/urls.js';
import { assign, baseName, peerPair, perMember, type Check } from '../context.js';
import { runIndex } from '../run-index.js';

/** cluster.unique-name: no two members share a name (the walkthrough's etcd4 block says etcd3). */
export const checkUniqueName: Check = (context) =>
  perMember(
    context,
    'cluster.unique-name',
    (member, sink) => {
      const named = runIndex(context).once('names', () => {
        const counts = new Map<string, number>();
        for (const m of context.members) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
        return counts;
      });
      const same = named.get(member.name)! > 1 ? context.members.filter((m) => m !== member && m.name === member.name) : [];
      if (same.length === 0) return;
      sink.fail(
        `${describeSetting(member.settings, 'name', 'default')}, and ${same.map((m) => describeSetting(m.settings, 'name', 'default')).join(', ')}: two members with one name (a configuration copied from another member?)`,
        `give each member its own ${keyName(member.settings, 'name')} (and its own IP, certificates and initial cluster entry)`,
      );
    },
    (member) => (context.members.length > 1 ? `"${member.name}" is this member's alone` : undefined),
  );

/** Addresses a member owns: what it advertises, and what it listens on except per-host loopback. */
function ownedAddresses(member: DeployedMember): Array<{ address: string; why: string }> {
  const out: Array<{ address: string; why: string }> = [];
  for (const [flag, urls, listen] of [
    ['initial-advertise-peer-urls', member.initialAdvertisePeerUrls, false],
    ['advertise-client-urls', member.advertiseClientUrls, false],
    ['listen-peer-urls', member.listenPeerUrls, true],
    ['listen-client-urls', member.listenClientUrls, true],
  ] as const) {
    for (const text of urls) {
      const url = parseEtcdUrl(text);
      if (!url.ok || url.scheme.startsWith('unix')) continue;
      // Every node has its own 127.0.0.1 and localhost; only other addresses belong to one member.
      if (
        listen &&
        (url.host === '' ||
          url.host === '0.0.0.0' ||
          url.host === '::' ||
          url.host === '127.0.0.1' ||
          url.host === '::1' ||
          url.host.toLowerCase() === 'localhost')
      )
        continue;
      if (!out.some((o) => o.address === url.address))
        out.push({ address: url.address, why: `${keyName(member.settings, flag)} has ${text}` });
    }
  }
  return out;
}

/** cluster.unique-address: no two members advertise or listen on the same address. */
export const checkUniqueAddress: Check = (context) =>
  perMember(
    context,
    'cluster.unique-address',
    (member, sink) => {
      // Who owns each address, made once: comparing every pair of members was n^2 address lists.
      const { owned, owners } = runIndex(context).once('unique-address', () => {
        const owned = new Map(context.members.map((m) => [m, ownedAddresses(m)]));
        const owners = new Map<string, DeployedMember[]>();
        for (const [m, addresses] of owned) {
          for (const { address } of addresses) {
            const list = owners.get(address);
            if (!list) owners.set(address, [m]);
            else if (!list.includes(m)) list.push(m);
          }
        }
        return { owned, owners };
      });
      const mine = owned.get(member)!;
      const others = [...new Set(mine.flatMap((m) => owners.get(m.address)!.filter((o) => o !== member)))];
      for (const other of context.members.filter((m) => others.includes(m))) {
        const shared = owned.get(other)!.filter((o) => mine.some((m) => m.address === o.address));
        for (const address of shared) {
          const own = mine.find((m) => m.address === address.address)!;
          sink.fail(
            `${own.why}, and ${other.label}'s ${address.why}: two members on one address ${address.address}`,
            `give ${member.label} its own address in its URLs (a configuration copied from ${other.label}?)`,
          );
        }
      }
    },
    (member) =>
      context.members.length > 1
        ? `${ownedAddresses(member)
            .map((a) => a.address)
            .join(', ')}: no other member uses them`
        : undefined,
  );

/** cluster.unique-peer-cert: no two members present the same peer certificate. */
export const checkUniquePeerCert: Check = (context) =>
  perMember(
    context,
    'cluster.unique-peer-cert',
    (member, sink) => {
      const mine = peerPair(member);
      const leaf = mine?.cert?.certificates?.[0];
      if (!mine || !leaf) return;
      // The members by peer certificate and by its key, made once: comparing every pair was n^2.
      const holders = runIndex(context).once('unique-peer-cert', () => {
        const by = new Map<string, DeployedMember[]>();
        for (const m of context.members) {
          const l = peerPair(m)?.cert?.certificates?.[0];
          if (!l) continue;
          for (const key of new Set([
            `cert:${Buffer.from(l.der).toString('base64')}`,
            `key:${Buffer.from(l.subjectPublicKeyInfo).toString('base64')}`,
          ])) {
            const list = by.get(key);
            if (list) list.push(m);
            else by.set(key, [m]);
          }
        }
        return by;
      });
      const suspects = new Set([
        ...(holders.get(`cert:${Buffer.from(leaf.der).toString('base64')}`) ?? []),
        ...(holders.get(`key:${Buffer.from(leaf.subjectPublicKeyInfo).toString('base64')}`) ?? []),
      ]);
      for (const other of context.members) {
        if (other === member || !suspects.has(other)) continue;
        const theirs = peerPair(other)?.cert;
        const theirLeaf = theirs?.certificates?.[0];
        if (!theirs || !theirLeaf) continue;
        const sameCert = Buffer.from(theirLeaf.der).equals(Buffer.from(leaf.der));
        const sameKey = Buffer.from(theirLeaf.subjectPublicKeyInfo).equals(Buffer.from(leaf.subjectPublicKeyInfo));
        if (sameCert || sameKey) {
          // A shared certificate may well name every member's peer host: say it is missing only when it is.
          const hosts = member.initialAdvertisePeerUrls.map(parseEtcdUrl).flatMap((u) => (u.ok ? [u.host] : []));
          const unnamed = hosts.filter((host) => !certificateNamesHost(leaf.sans, host));
          sink.fail(
            `${assign(mine.certKey, mine.cert!.path)} is ${sameCert ? 'the same certificate' : 'a certificate for the same key'} as ${other.label}'s ${theirs.path}: one member can pose as the other${unnamed.length ? `, and its peer host ${unnamed.join(', ')} is not in the certificate` : ' (the certificate names its peer host too)'}`,
            `give ${member.label} a peer certificate of its own, naming its own address, and set ${mine.certKey} and ${mine.keyKey} to it and its key`,
          );
        }
      }
    },
    (member) => {
      const pair = peerPair(member);
      return pair?.cert?.certificates && context.members.length > 1 ? `${baseName(pair.cert.path)} is this member's alone` : undefined;
    },
  );
