import { isIP } from 'node:net';
import type { ParsedCertificate } from '../../x509/parse.js';
import { certificateNamesHost, sansText } from '../hostnames.js';
import { keyName } from '../../etcd-config/member-config.js';
import type { DeployedMember } from '../../etcd-config/model.js';
import { isLoopbackHost, isUnspecifiedHost, parseEtcdUrl, sameUrl } from '../../etcd-config/urls.js';
import { baseName, peerPair, perMember, serverPair, type Check, type TlsPair } from '../context.js';

interface UrlHost {
  readonly host: string;
  /** The setting and URL that need it: `ETCD_ADVERTISE_CLIENT_URLS has https://...`. */
  readonly why: string;
}

/** Hosts a certificate must name: those of the https URLs among `flags`, except "every interface". */
function tlsHosts(member: DeployedMember, flags: ReadonlyArray<[string, readonly string[]]>): UrlHost[] {
  const out: UrlHost[] = [];
  for (const [flag, urls] of flags) {
    for (const text of urls) {
      const url = parseEtcdUrl(text);
      if (!url.ok || url.scheme !== 'https' || isUnspecifiedHost(url.host)) continue;
      if (out.some((h) => h.host.toLowerCase() === url.host.toLowerCase())) continue;
      out.push({ host: url.host, why: `${keyName(member.settings, flag)} has ${text}` });
    }
  }
  return out;
}

function coverage(pair: TlsPair, hosts: readonly UrlHost[], sink: { fail(e: string, f: string): void }): void {
  const leaf = pair.cert?.certificates?.[0];
  if (!leaf) return;
  const name = baseName(pair.cert!.path);
  const missing = hosts.filter((h) => !certificateNamesHost(leaf.sans, h.host));
  if (missing.length === 0) return;
  for (const host of missing) {
    sink.fail(
      `${host.why}, but ${name} names ${sansText(leaf.sans)}, not ${host.host}: TLS to ${host.host} fails with "x509: certificate is valid for ..., not ${host.host}"`,
      `if ${host.host} is right, re-issue ${name} with hosts ${[...leaf.sans.dns, ...leaf.sans.ip, ...missing.map((m) => m.host)].filter((v, i, a) => a.indexOf(v) === i).join(', ')}; if not, correct the URL (a configuration copied from another member?)`,
    );
  }
}

/** names.server: the server certificate names every host of the member's https client URLs. */
export const checkNamesServer: Check = (context) =>
  perMember(
    context,
    'names.server',
    (member, sink) => {
      const pair = serverPair(member);
      if (!pair) return;
      coverage(
        pair,
        tlsHosts(member, [
          ['advertise-client-urls', member.advertiseClientUrls],
          ['listen-client-urls', member.listenClientUrls],
        ]),
        sink,
      );
    },
    (member) =>
      okText(
        serverPair(member),
        tlsHosts(member, [
          ['advertise-client-urls', member.advertiseClientUrls],
          ['listen-client-urls', member.listenClientUrls],
        ]),
      ),
  );

/** names.peer: the peer certificate names every host of the member's https peer URLs. */
export const checkNamesPeer: Check = (context) =>
  perMember(
    context,
    'names.peer',
    (member, sink) => {
      const pair = peerPair(member);
      if (!pair) return;
      coverage(
        pair,
        tlsHosts(member, [
          ['initial-advertise-peer-urls', member.initialAdvertisePeerUrls],
          ['listen-peer-urls', member.listenPeerUrls],
        ]),
        sink,
      );
    },
    (member) =>
      okText(
        peerPair(member),
        tlsHosts(member, [
          ['initial-advertise-peer-urls', member.initialAdvertisePeerUrls],
          ['listen-peer-urls', member.listenPeerUrls],
        ]),
      ),
  );

function okText(pair: TlsPair | undefined, hosts: readonly UrlHost[]): string | undefined {
  const leaf = pair?.cert?.certificates?.[0];
  if (!leaf || hosts.length === 0) return undefined;
  return `${baseName(pair!.cert!.path)} names ${hosts.map((h) => h.host).join(', ')}`;
}

/**
 * The address a member's peer connections to `destination` come from, as Linux picks it: to a
 * loopback address, 127.0.0.1 (or ::1), whatever 127.x the peer listens on; otherwise the
 * member's own advertised peer IP. Undefined when it cannot be told (a DNS name).
 */
export function peerSourceAddress(member: DeployedMember, destination: string): string | undefined {
  if (isLoopbackHost(destination)) return isIP(destination) === 6 ? '::1' : '127.0.0.1';
  for (const text of member.initialAdvertisePeerUrls) {
    const url = parseEtcdUrl(text);
    if (url.ok && isIP(url.host) !== 0) return url.host;
  }
  return undefined;
}

/** Whether etcd's peer SAN check (`checkCertSAN`) lets a connection from `address` through. */
function namesSource(leaf: ParsedCertificate, address: string): boolean {
  if (leaf.sans.ip.length === 0 && leaf.sans.dns.length === 0) return true; // etcd skips the check
  if (certificateNamesHost(leaf.sans, address)) return true;
  // etcd resolves DNS SANs; "localhost" resolves to the loopback addresses everywhere.
  return isLoopbackHost(address) && leaf.sans.dns.some((d) => d.toLowerCase() === 'localhost');
}

/**
 * names.peer-source: with peer client-cert-auth on, etcd rejects a peer connection whose source
 * address its certificate does not name (pkg/transport checkCertSAN: "rejected connection ...").
 * Warns when the predicted source address of a member's connections to its peers is not named.
 */
export const checkNamesPeerSource: Check = (context) =>
  perMember(
    context,
    'names.peer-source',
    (member, sink) => {
      const pair = peerPair(member);
      const leaf = pair?.cert?.certificates?.[0];
      if (!pair || !leaf) return;
      for (const { label, url, checksSan } of peerDestinations(member, context.members)) {
        if (!checksSan) continue;
        const parsed = parseEtcdUrl(url);
        if (!parsed.ok || parsed.scheme !== 'https') continue;
        const source = peerSourceAddress(member, parsed.host);
        if (source === undefined || namesSource(leaf, source)) continue;
        sink.warn(
          `${member.label}'s connections to ${label} (${url}) will come from ${source}, which ${baseName(pair.cert!.path)} does not name (${sansText(leaf.sans)}); ${label} will reject them ("rejected connection from ${source}")`,
          `add ${source} to the hosts of ${baseName(pair.cert!.path)} and re-issue it${isLoopbackHost(source) ? ' (cluster-bundle adds 127.0.0.1 and localhost by default)' : ''}`,
        );
        return;
      }
    },
    (member) => {
      const pair = peerPair(member);
      return pair?.cert?.certificates?.[0] ? `${baseName(pair.cert!.path)} names the address its peer connections come from` : undefined;
    },
  );

/** The peers a member dials: other members' advertised peer URLs, else its initial cluster's. */
function peerDestinations(
  member: DeployedMember,
  members: readonly DeployedMember[],
): Array<{ label: string; url: string; checksSan: boolean }> {
  const others = members.filter((m) => m !== member);
  if (others.length > 0) {
    return others.flatMap((other) =>
      other.initialAdvertisePeerUrls.map((url) => ({ label: other.label, url, checksSan: other.peer.clientCertAuth })),
    );
  }
  // Only this member is known: its initial cluster names the others; assume they configure peer auth as it does.
  return member.initialCluster
    .filter((entry) => entry.name !== member.name && !member.initialAdvertisePeerUrls.some((u) => sameUrl(u, entry.url)))
    .map((entry) => ({ label: entry.name, url: entry.url, checksSan: member.peer.clientCertAuth }));
}
