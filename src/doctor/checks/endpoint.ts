import { parseCertificate, type ParsedCertificate } from '../../x509/parse.js';
import { commonNameOf } from '../chain.js';
import { peerPair, serverPair, type Check } from '../context.js';
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
      connect.fail(`no TLS handshake with ${probe.url}: ${goWords(first.error ?? 'failed')}`, 'check that etcd runs there, listens on this address with https, and that nothing blocks the port');
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
    else if (!probe.caGiven) chain.fail(`the served chain does not verify with the system's CAs (${probe.authorizationError ?? 'unknown'}): etcdctl without --cacert fails with "x509: certificate signed by unknown authority"`, 'pass the cluster CA: doctor -cacert ca.pem, etcdctl --cacert ca.pem (ETCDCTL_CACERT)');
    else chain.fail(`the served chain does not verify with the given CA (${probe.authorizationError ?? 'unknown'}): clients with this CA fail with "x509: certificate signed by unknown authority"`, `give the endpoint a certificate issued by this CA, or use the CA that issued "${leaf ? commonNameOf(leaf, 'issuer') : '?'}"`);
    const configured = leaf ? configuredCertificateAt(context.members, probe) : undefined;
    if (leaf && configured && !Buffer.from(configured.certificate.der).equals(Buffer.from(leaf.der))) {
      chain.warn(`${probe.url} serves "${commonNameOf(leaf, 'subject')}" (serial differs), not ${configured.member.label}'s configured ${configured.path}`, `restart ${configured.member.label} so it loads the certificate its configuration names`);
    }

    const names = sink('live.names');
    if (leaf) {
      if (certificateNamesHost(leaf.sans, probe.host)) names.ok(`the served certificate names ${probe.host}`);
      else names.fail(`the served certificate names ${sansText(leaf.sans)}, not ${probe.host}: clients fail with "x509: certificate is valid for ..., not ${probe.host}"`, `re-issue the member's certificate with ${probe.host} among its hosts, or use an endpoint address it names`);
      const expiring = sink('time.expiring');
      const expired = sink('time.expired');
      const early = sink('time.not-yet-valid');
      const left = leaf.notAfter.getTime() - context.now.getTime();
      if (left < 0) expired.fail(`the served certificate expired on ${iso(leaf.notAfter)}`, 're-issue and install the certificate, then restart the member');
      else if (left < context.warnWithinMs) expiring.warn(`the served certificate expires on ${iso(leaf.notAfter)}, in ${Math.floor(left / 86_400_000)} days`, 're-issue and install the certificate before then, then restart the member');
      if (leaf.notBefore.getTime() > context.now.getTime()) early.fail(`the served certificate is not valid until ${iso(leaf.notBefore)}`, 'check the clocks (NTP)');
    }

    const client = sink('live.client-cert');
    const without = probe.withoutClientCert;
    const required = without.status === undefined;
    if (probe.withClientCert) {
      const mine = probe.withClientCert;
      if (mine.status === undefined) {
        client.fail(`our client certificate was refused: ${goWords(mine.error ?? 'no answer')}`, 'use a certificate issued with the client profile by the CA in the member\'s trusted CA file');
      } else if (!required) {
        client.warn(`the endpoint answers without a client certificate too (HTTP ${without.status}): client-cert-auth is off`, 'set ETCD_CLIENT_CERT_AUTH="true" (ETCD_PEER_CLIENT_CERT_AUTH for the peer port) and restart the member');
      } else {
        client.ok(`our client certificate is accepted (HTTP ${mine.status}), and a connection without one is refused (${without.error ?? 'refused'})`);
      }
    } else if (required) {
      client.fail(`the endpoint requires a client certificate and none was given: ${goWords(without.error ?? 'refused')}`, 'pass -cert and -key (etcdctl --cert/--key, ETCDCTL_CERT/ETCDCTL_KEY) with a client certificate of the cluster CA');
    } else {
      client.warn(`the endpoint answers without a client certificate (HTTP ${without.status}): client-cert-auth is off`, 'set ETCD_CLIENT_CERT_AUTH="true" and restart the member');
    }

    membership(context.members, probe, sink('live.members'), sink('cluster.unknown-member-url'), context.complete);
  }
  return out;
};

function configuredCertificateAt(members: readonly DeployedMember[], probe: EndpointProbe): { member: DeployedMember; path: string; certificate: ParsedCertificate } | undefined {
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
    if (probe.membersError) sink.warn(`could not read the member list: ${probe.membersError}`, 'pass a client certificate the endpoint accepts (-cert, -key)');
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
      if (!configured && byName) {
        unknown.fail(
          `the cluster's member list gives ${member.name || member.id} the peer URL ${url}, but ${byName.label} advertises ${byName.initialAdvertisePeerUrls.join(',')} (a mistyped "etcdctl member update"?)`,
          `etcdctl member update ${member.id} --peer-urls=${byName.initialAdvertisePeerUrls.join(',')}`,
        );
      } else if (!configured && complete && members.length > 0) {
        unknown.fail(`the cluster's member list has ${url} (${member.name || 'unstarted'}, ID ${member.id}), which no member advertises`, `fix it with "etcdctl member update ${member.id} --peer-urls=<the member's URL>", or remove a stale member with "etcdctl member remove ${member.id}"`);
      } else if (configured && member.name && configured.name !== member.name) {
        sink.fail(`the member list calls ${url} "${member.name}", but its configuration names it "${configured.name}"`, `fix ETCD_NAME on ${configured.label}, or re-add the member under its right name`);
      }
      // Without configurations, a peer URL on another host than the member's client URLs is suspect.
      const clientHosts = member.clientUrls.map(parseEtcdUrl).filter((u) => u.ok).map((u) => (u.ok ? u.host : ''));
      if (!configured && !byName && parsed.ok && clientHosts.length > 0 && !clientHosts.includes(parsed.host)) {
        unknown.warn(`member ${member.name || member.id} has peer URL ${url} but client URLs ${member.clientUrls.join(',')}: the peer host ${parsed.host} is on no client URL (a mistyped "etcdctl member update"?)`, `etcdctl member update ${member.id} --peer-urls=https://${clientHosts[0]}:2380 (the member's own address)`);
      }
    }
    if (!member.name) sink.warn(`member ${member.id} (${member.peerUrls.join(',')}) was added but has never started`, `start it, or remove it with "etcdctl member remove ${member.id}"`);
  }
  for (const member of members) {
    if (!live.some((m) => m.peerUrls.some((u) => member.initialAdvertisePeerUrls.some((v) => sameUrl(u, v))))) {
      sink.warn(`${member.label} (${member.initialAdvertisePeerUrls.join(',')}) is not in the cluster's member list`, `add it with "etcdctl member add ${member.name} --peer-urls=${member.initialAdvertisePeerUrls.join(',')}" before starting it`);
    }
  }
  if (sink.problems + unknown.problems === before) sink.ok(`${live.length} members: ${list}`);
}
