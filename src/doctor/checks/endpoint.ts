import { parseCertificate, type ParsedCertificate } from '../../x509/parse.js';
import { OID } from '../../asn1/oids.js';
import { commonNameOf } from '../chain.js';
import { peerPair, serverPair, type Check } from '../context.js';
import { extendedUsages } from './roles.js';
import { findingsFor, type Finding } from '../findings.js';
import { certificateNamesHost, sansText } from '../hostnames.js';
import type { EndpointProbe } from '../live-endpoint.js';
import type { DeployedMember } from '../../etcd-config/model.js';
import { parseEtcdUrl, sameUrl } from '../../etcd-config/urls.js';

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Go's wording for what Node reports, so the evidence reads like etcdctl's error. */
function goWords(error: string): string {
  if (/certificate required/i.test(error)) return `${error} (etcdctl: "remote error: tls: certificate required")`;
  if (/bad certificate|unknown ca/i.test(error)) return `${error} (etcdctl: "remote error: tls: bad certificate")`;
  if (/wrong version number|packet length too long|unknown protocol/i.test(error)) return `${error} (the port speaks plain http, not TLS)`;
  return error;
}

/** The presented client certificate when it is a client's only (no server auth), else undefined. */
function clientOnlyCertificate(probe: EndpointProbe): ParsedCertificate | undefined {
  if (!probe.clientCertificate) return undefined;
  try {
    const certificate = parseCertificate(probe.clientCertificate);
    const usages = certificate.extensions.extKeyUsage ?? [];
    return usages.includes(OID.clientAuth) && !usages.includes(OID.serverAuth) ? certificate : undefined;
  } catch {
    return undefined;
  }
}

/** The endpoint is a member's peer URL, by its configuration or by what it answered. */
function isPeerEndpoint(members: readonly DeployedMember[], probe: EndpointProbe): boolean {
  if (probe.port === 'peer') return true;
  return members.some((m) => [...m.initialAdvertisePeerUrls, ...m.listenPeerUrls].some((url) => sameUrl(url, probe.url)));
}

function leafOf(probe: EndpointProbe): ParsedCertificate | undefined {
  const der = probe.chain[0];
  if (!der) return undefined;
  try {
    return parseCertificate(der);
  } catch {
    return undefined;
  }
}

/**
 * live.connect, live.chain, live.names, live.client-cert, live.members and the endpoint's share of
 * time.* and cluster.unknown-member-url: what a live endpoint actually serves and accepts.
 */
export const checkEndpoints: Check = (context) => {
  const out: Finding[] = [];
  for (const probe of context.endpoints) {
    const sink = (check: Parameters<typeof findingsFor>[1]) => findingsFor(out, check, probe.url, 'endpoint');
    const connect = sink('live.connect');
    const first = probe.withClientCert ?? probe.withoutClientCert;
    if (!first.handshake) {
      connect.fail(
        `no TLS handshake with ${probe.url}: ${goWords(first.error ?? 'failed')}`,
        'check that etcd runs there, listens on this address with https, and that nothing blocks the port',
      );
      continue;
    }
    const leaf = leafOf(probe);
    const chainNames = probe.chain.slice(1).map((der) => {
      try {
        return `"${commonNameOf(parseCertificate(der), 'subject')}"`;
      } catch {
        return '?';
      }
    });
    connect.ok(
      `TLS handshake (${probe.protocol ?? 'TLS'}) with ${probe.url}; it presents ${leaf ? `"${commonNameOf(leaf, 'subject')}", ${sansText(leaf.sans)}, valid ${iso(leaf.notBefore)} to ${iso(leaf.notAfter)}, issued by "${commonNameOf(leaf, 'issuer')}"` : 'a certificate doctor cannot parse'}${chainNames.length ? ` (chain: ${chainNames.join(' <- ')})` : ''}`,
    );

    const chain = sink('live.chain');
    if (probe.authorized) chain.ok(`the served chain verifies with ${probe.caGiven ? 'the given CA' : "the system's CAs"}`);
    else if (!probe.caGiven)
      chain.fail(
        `the served chain does not verify with the system's CAs (${probe.authorizationError ?? 'unknown'}): etcdctl without --cacert fails with "x509: certificate signed by unknown authority"`,
        'pass the cluster CA: doctor -cacert ca.pem, etcdctl --cacert ca.pem (ETCDCTL_CACERT)',
      );
    else if (/EXPIRED|NOT_YET_VALID/.test(probe.authorizationError ?? '')) {
      // Node checks validity with the chain: the chain is this CA's; time.expired names the fault.
      chain.ok(
        `the served chain is from the given CA, but not valid now (${probe.authorizationError}): see time.expired / time.not-yet-valid`,
      );
    } else if (/ALTNAME|HOSTNAME|IP_ADDRESS/.test(probe.authorizationError ?? '')) {
      // Node's hostname check comes after the chain verified: live.names names the fault.
      chain.ok(`the served chain verifies with the given CA; the certificate does not name ${probe.host}: see live.names`);
    } else
      chain.fail(
        `the served chain does not verify with the given CA (${probe.authorizationError ?? 'unknown'}): clients with this CA fail with "x509: certificate signed by unknown authority"`,
        `give the endpoint a certificate issued by this CA, or use the CA that issued "${leaf ? commonNameOf(leaf, 'issuer') : '?'}"`,
      );
    const configured = leaf ? configuredCertificateAt(context.members, probe) : undefined;
    if (leaf && configured && !Buffer.from(configured.certificate.der).equals(Buffer.from(leaf.der))) {
      chain.warn(
        `${probe.url} serves "${commonNameOf(leaf, 'subject')}" (serial differs), not ${configured.member.label}'s configured ${configured.path}`,
        `install ${configured.path} on ${configured.member.label}'s node as its configuration names it (install.sh): etcd reads the certificate file at every new TLS handshake, so no restart is needed; if it still serves another, etcd runs with another cert-file than this configuration`,
      );
    }

    const names = sink('live.names');
    if (leaf) {
      if (certificateNamesHost(leaf.sans, probe.host)) names.ok(`the served certificate names ${probe.host}`);
      else
        names.fail(
          `the served certificate names ${sansText(leaf.sans)}, not ${probe.host}: clients fail with "x509: certificate is valid for ..., not ${probe.host}"`,
          `re-issue the member's certificate with ${probe.host} among its hosts, or use an endpoint address it names`,
        );
      const expiring = sink('time.expiring');
      const expired = sink('time.expired');
      const early = sink('time.not-yet-valid');
      const left = leaf.notAfter.getTime() - context.now.getTime();
      if (left < 0)
        expired.fail(
          `the served certificate expired on ${iso(leaf.notAfter)}`,
          `renew it (etcd-pki renew -out BUNDLE -member ${configured?.member.name ?? 'NAME'}) and install it with the member's install.sh: etcd reads it at the next TLS handshake, no restart`,
        );
      else if (left < context.warnWithinMs)
        expiring.warn(
          `the served certificate expires on ${iso(leaf.notAfter)}, in ${Math.floor(left / 86_400_000)} days`,
          `before then, renew it (etcd-pki renew -out BUNDLE -member ${configured?.member.name ?? 'NAME'}) and install it with the member's install.sh: no restart`,
        );
      if (leaf.notBefore.getTime() > context.now.getTime())
        early.fail(`the served certificate is not valid until ${iso(leaf.notBefore)}`, 'check the clocks (NTP)');
    }

    const client = sink('live.client-cert');
    const without = probe.withoutClientCert;
    const required = without.status === undefined;
    // etcd's gRPC gateway (/v3/... over HTTP) dials the member itself with the server certificate
    // as its client certificate; with client-cert-auth on, a certificate without client auth is
    // refused ("rejected connection ... bad certificate" in etcd's log) and /v3/... answers 503.
    const gatewayBroken = leaf !== undefined && required && !isPeerPort(probe) && !extendedUsages(leaf).clientAuth;
    if (gatewayBroken) {
      sink('roles.server').fail(
        `the served certificate "${commonNameOf(leaf, 'subject')}" has no client auth usage (${extendedUsages(leaf).text}), and the endpoint requires client certificates: etcd's gRPC gateway, when etcd starts, dials the member with this certificate as its client certificate and is refused (etcd logs "rejected connection"), so /v3/... (the JSON API, curl, HTTP health checks) answers 503`,
        `issue the member's server certificate with both server auth and client auth (etcd-pki cluster-bundle does; etcd-pki renew keeps the old usages, so issue it again with the server profile of its ca-config.json) and install it: etcd reads it at the next handshake, no restart`,
      );
    }
    const clientOnly = clientOnlyCertificate(probe);
    if (probe.withClientCert && clientOnly && isPeerEndpoint(context.members, probe)) {
      // Issue 17: a certificate without server auth is a client's; it has no business on a peer port.
      const name = `"${commonNameOf(clientOnly, 'subject')}"`;
      if (probe.withClientCert.status !== undefined) {
        client.fail(
          `the peer port accepts the client certificate ${name} (HTTP ${probe.withClientCert.status}): any client of that CA can read /members and /raft/probing, and speak raft's HTTP API`,
          'give the peer ports a CA of their own: etcd-pki cluster-bundle -trust migrating, rolling restart, then -trust separate, rolling restart (docs/trust.md)',
        );
      } else {
        client.ok(`the peer port refuses the client certificate ${name} (${probe.withClientCert.error ?? 'refused'}), as it should`);
      }
    } else if (probe.withClientCert) {
      const mine = probe.withClientCert;
      if (mine.status === undefined) {
        client.fail(
          `our client certificate was refused: ${goWords(mine.error ?? 'no answer')}`,
          "use a certificate issued with the client profile by the CA in the member's trusted CA file",
        );
      } else if (!required) {
        client.warn(
          `the endpoint answers without a client certificate too (HTTP ${without.status}): client-cert-auth is off`,
          'set ETCD_CLIENT_CERT_AUTH="true" (ETCD_PEER_CLIENT_CERT_AUTH for the peer port) and restart the member',
        );
      } else if (gatewayBroken) {
        client.warn(
          `our client certificate is accepted on /version (HTTP ${mine.status}), but every /v3/... request answers 503: the member's own server certificate lacks client auth (see roles.server), not ours`,
          'fix the server certificate (roles.server)',
        );
      } else {
        client.ok(
          `our client certificate is accepted (HTTP ${mine.status}), and a connection without one is refused (${without.error ?? 'refused'})`,
        );
      }
    } else if (required) {
      client.fail(
        `the endpoint requires a client certificate and none was given: ${goWords(without.error ?? 'refused')}`,
        'pass -cert and -key (etcdctl --cert/--key, ETCDCTL_CERT/ETCDCTL_KEY) with a client certificate of the cluster CA',
      );
    } else {
      client.warn(
        `the endpoint answers without a client certificate (HTTP ${without.status}): client-cert-auth is off`,
        'set ETCD_CLIENT_CERT_AUTH="true" and restart the member',
      );
    }

    if (!gatewayBroken) membership(context.members, probe, sink('live.members'), sink('cluster.unknown-member-url'), context.complete);
  }
  return out;
};

function configuredCertificateAt(
  members: readonly DeployedMember[],
  probe: EndpointProbe,
): { member: DeployedMember; path: string; certificate: ParsedCertificate } | undefined {
  for (const member of members) {
    for (const [urls, pair] of [
      [[...member.advertiseClientUrls, ...member.listenClientUrls], serverPair(member)],
      [[...member.initialAdvertisePeerUrls, ...member.listenPeerUrls], peerPair(member)],
    ] as const) {
      const certificate = pair?.cert?.certificates?.[0];
      if (certificate && urls.some((u) => sameUrl(u, probe.url))) return { member, path: pair!.cert!.path, certificate };
    }
  }
  return undefined;
}

type Sink = ReturnType<typeof findingsFor>;

/** The live member list against the configurations, and against itself. */
function membership(members: readonly DeployedMember[], probe: EndpointProbe, sink: Sink, unknown: Sink, complete: boolean): void {
  if (!probe.members) {
    if (probe.membersError)
      sink.warn(`could not read the member list: ${probe.membersError}`, 'pass a client certificate the endpoint accepts (-cert, -key)');
    return;
  }
  const live = probe.members;
  const list = live.map((m) => `${m.name || '(unstarted)'} ${m.peerUrls.join(',')}`).join('; ');
  const before = sink.problems + unknown.problems;
  for (const member of live) {
    for (const url of member.peerUrls) {
      const parsed = parseEtcdUrl(url);
      const configured = members.find((m) => m.initialAdvertisePeerUrls.some((u) => sameUrl(u, url)));
      const byName = members.find((m) => m.name === member.name);
      const typo = byName ? advertisedWhereNotListening(byName, url) : undefined;
      if (!configured && byName && typo) {
        // The configuration's advertised URL is where the member does not listen, and the cluster
        // has it where it does: the typo is in the configuration; "member update" to it would
        // break the cluster's peer traffic to the member.
        unknown.fail(
          `${byName.label} advertises ${typo} (initial-advertise-peer-urls), where it does not listen (listen-peer-urls ${byName.listenPeerUrls.join(',')}); the cluster's member list has ${member.name} at ${url}, where it listens: the configuration is mistyped`,
          `set ${byName.name}'s initial-advertise-peer-urls to ${url} in ${byName.source}; leave the member list as it is`,
        );
      } else if (!configured && byName) {
        unknown.fail(
          `the cluster's member list gives ${member.name || member.id} the peer URL ${url}, but ${byName.label} advertises ${byName.initialAdvertisePeerUrls.join(',')} (a mistyped "etcdctl member update"?)`,
          `etcdctl member update ${member.id} --peer-urls=${byName.initialAdvertisePeerUrls.join(',')}`,
        );
      } else if (!configured && complete && members.length > 0) {
        unknown.fail(
          `the cluster's member list has ${url} (${member.name || 'unstarted'}, ID ${member.id}), which no member advertises`,
          `fix it with "etcdctl member update ${member.id} --peer-urls=<the member's URL>", or remove a stale member with "etcdctl member remove ${member.id}"`,
        );
      } else if (configured && member.name && configured.name !== member.name) {
        sink.fail(
          `the member list calls ${url} "${member.name}", but its configuration names it "${configured.name}"`,
          `fix ETCD_NAME on ${configured.label}, or re-add the member under its right name`,
        );
      }
      // Without configurations, a peer URL on another host than the member's client URLs is suspect.
      const clientHosts = member.clientUrls
        .map(parseEtcdUrl)
        .filter((u) => u.ok)
        .map((u) => (u.ok ? u.host : ''));
      if (!configured && !byName && parsed.ok && clientHosts.length > 0 && !clientHosts.includes(parsed.host)) {
        unknown.warn(
          `member ${member.name || member.id} has peer URL ${url} but client URLs ${member.clientUrls.join(',')}: the peer host ${parsed.host} is on no client URL (a mistyped "etcdctl member update"?)`,
          `etcdctl member update ${member.id} --peer-urls=https://${clientHosts[0]}:2380 (the member's own address)`,
        );
      }
    }
    if (!member.name)
      sink.warn(
        `member ${member.id} (${member.peerUrls.join(',')}) was added but has never started`,
        `start it, or remove it with "etcdctl member remove ${member.id}"`,
      );
  }
  for (const member of members) {
    if (live.some((m) => m.peerUrls.some((u) => member.initialAdvertisePeerUrls.some((v) => sameUrl(u, v))))) continue;
    // In the list under its name at another URL: reported above. Adding it again would make a
    // second, phantom member that never starts (and counts against the quorum).
    if (live.some((m) => m.name === member.name)) continue;
    const typo = member.initialAdvertisePeerUrls.find((u) => advertisedWhereNotListening(member, u) === u);
    if (typo !== undefined) {
      sink.warn(
        `${member.label} is not in the cluster's member list, and advertises ${typo}, where it does not listen (listen-peer-urls ${member.listenPeerUrls.join(',')})`,
        `correct initial-advertise-peer-urls in ${member.source} to the URL it listens at before adding or starting it`,
      );
    } else if (member.initialClusterState === 'existing') {
      sink.warn(
        `${member.label} (${member.initialAdvertisePeerUrls.join(',')}) is not in the cluster's member list`,
        `add it with "etcdctl member add ${member.name} --peer-urls=${member.initialAdvertisePeerUrls.join(',')}" before starting it`,
      );
    } else {
      sink.warn(
        `${member.label} (${member.initialAdvertisePeerUrls.join(',')}) is a founding member (initial-cluster-state new) but not in the cluster's member list`,
        "check that it was started with this configuration (its name and initial cluster) and this cluster's data; etcd-pki add-member prepares a member that joins later",
      );
    }
  }
  if (sink.problems + unknown.problems === before) sink.ok(`${live.length} members: ${list}`);
}

/**
 * The first of the member's advertised peer URLs (or `url` itself, when given one of them) that
 * no listen-peer-url serves: another host (unless it listens on 0.0.0.0 or ::) or another port.
 * Undefined when every one is served, or when `url` is given and the member does listen there.
 */
function advertisedWhereNotListening(member: DeployedMember, url: string): string | undefined {
  const served = (text: string) => {
    const target = parseEtcdUrl(text);
    if (!target.ok) return true;
    return member.listenPeerUrls.some((l) => {
      const listen = parseEtcdUrl(l);
      return listen.ok && listen.port === target.port && (listen.host === target.host || ['0.0.0.0', '::', '[::]'].includes(listen.host));
    });
  };
  if (member.listenPeerUrls.length === 0) return undefined;
  if (member.initialAdvertisePeerUrls.includes(url)) return served(url) ? undefined : url;
  if (!served(url)) return undefined;
  return member.initialAdvertisePeerUrls.find((u) => !served(u));
}

/** The probe reached a peer port (2380: /members answered, or the URL says so). */
function isPeerPort(probe: EndpointProbe): boolean {
  return probe.port === 'peer' || (probe.port === 'unknown' && /:2380$/.test(probe.url));
}
