import type { ParsedCertificate } from '../../x509/parse.js';
import { commonNameOf, verifyChain, type ChainResult } from '../chain.js';
import { runIndex } from '../run-index.js';
import { assign, baseName, clientFiles, peerPair, perClient, perMember, serverPair, type Check, type CheckContext } from '../context.js';
import type { CertificateFile } from '../material.js';

const certs = (file: CertificateFile | undefined): readonly ParsedCertificate[] | undefined => file?.certificates;
const caName = (file: CertificateFile) => `${baseName(file.path)} ("${commonNameOf(file.certificates![0]!, 'subject')}")`;

/**
 * trust.server: the server certificate chains to the member's trusted CA (etcd's gateway dials the
 * member's own client port and verifies it with that CA) and to every client's CA (etcdctl
 * verifies it with `--cacert`; failing that it says "x509: certificate signed by unknown authority").
 */
export const checkTrustServer: Check = (context) =>
  perMember(
    context,
    'trust.server',
    async (member, sink) => {
      const pair = serverPair(member);
      const chain = certs(pair?.cert);
      if (!pair || !chain) return;
      const own = certs(pair.trustedCa);
      if (own && pair.trustedCa) {
        const result = await verifiedChain(context, chain, own);
        if (!result.ok) {
          sink.fail(
            `${assign(pair.certKey, pair.cert!.path)} does not chain to ${assign(pair.caKey, pair.trustedCa.path)}: ${result.reason}`,
            `issue ${baseName(pair.cert!.path)} from the CA in ${baseName(pair.trustedCa.path)}, or set ${pair.caKey} to the CA that issued it`,
          );
        }
      }
      for (const client of context.clients) {
        const ca = clientFiles(client).ca;
        const roots = certs(ca);
        if (!roots || !ca) continue;
        const result = await verifiedChain(context, chain, roots);
        if (!result.ok) {
          sink.fail(
            `${client.label} verifies servers with ${ca.path}, but ${pair.cert!.path} does not chain to it (${result.reason}); ${client.label} will fail with "x509: certificate signed by unknown authority"`,
            `give ${client.label} the CA that issued ${baseName(pair.cert!.path)} (ETCDCTL_CACERT), or re-issue the server certificate from ${baseName(ca.path)}`,
          );
        }
      }
    },
    (member) => {
      const pair = serverPair(member);
      if (!certs(pair?.cert)) return undefined;
      const against = [
        ...(pair?.trustedCa?.certificates ? [caName(pair.trustedCa)] : []),
        ...context.clients.filter((c) => clientFiles(c).ca?.certificates).map((c) => `${c.label}'s CA`),
      ];
      return against.length
        ? `${baseName(pair!.cert!.path)} chains to ${against.join(' and ')}`
        : `${baseName(pair!.cert!.path)}: no CA configured to check it against`;
    },
  );

/** trust.peer: the peer certificate chains to the member's own peer trusted CA. */
export const checkTrustPeer: Check = (context) =>
  perMember(
    context,
    'trust.peer',
    async (member, sink) => {
      const pair = peerPair(member);
      const chain = certs(pair?.cert);
      const roots = certs(pair?.trustedCa);
      if (!pair || !chain) return;
      if (!pair.trustedCa) {
        sink.fail(
          `${pair.certKey} is set but ${pair.caKey} is not: the member verifies its peers against the system's CAs and rejects the cluster's certificates`,
          `set ${pair.caKey} to the cluster CA (ca.pem / rootca.pem)`,
        );
        return;
      }
      if (!roots) return;
      const result = await verifiedChain(context, chain, roots);
      if (!result.ok) {
        sink.fail(
          `${assign(pair.certKey, pair.cert!.path)} does not chain to ${assign(pair.caKey, pair.trustedCa.path)}: ${result.reason}`,
          `issue ${baseName(pair.cert!.path)} from the CA in ${baseName(pair.trustedCa.path)}, or set ${pair.caKey} to the CA that issued it`,
        );
      }
    },
    (member) => {
      const pair = peerPair(member);
      return pair?.cert?.certificates && pair.trustedCa?.certificates
        ? `${baseName(pair.cert.path)} chains to ${caName(pair.trustedCa)}`
        : undefined;
    },
  );

/**
 * trust.peer-cross: each member accepts every other member's peer certificate (and so can verify
 * it as a server): peer certificates must chain to every member's peer trusted CA. Reported on
 * the member that would reject the connection ("remote error: tls: bad certificate").
 */
export const checkTrustPeerCross: Check = (context) =>
  perMember(
    context,
    'trust.peer-cross',
    async (member, sink) => {
      const mine = peerPair(member);
      const roots = certs(mine?.trustedCa);
      if (!mine || !roots || !mine.trustedCa) return;
      for (const other of context.members) {
        if (other === member) continue;
        const theirs = peerPair(other);
        const chain = certs(theirs?.cert);
        if (!theirs || !chain) continue;
        const result = await verifiedChain(context, chain, roots);
        if (!result.ok) {
          sink.fail(
            `${member.label} does not trust ${other.label}'s peer certificate ${theirs.cert!.path}: ${result.reason}; peer connections between them fail with "tls: bad certificate"`,
            `use one CA for every member: set ${mine.caKey} on ${member.label} to the CA that issued ${other.label}'s peer certificate, or re-issue ${baseName(theirs.cert!.path)} from ${baseName(mine.trustedCa.path)}`,
          );
        }
      }
    },
    (member) => {
      const others = context.members.filter((o) => o !== member && peerPair(o)?.cert?.certificates);
      return peerPair(member)?.trustedCa?.certificates && others.length
        ? `trusts the peer certificates of ${others.map((o) => o.label).join(', ')}`
        : undefined;
    },
  );

/**
 * trust.client: every client certificate chains to the trusted CA of every member that requires
 * client certificates.
 */
export const checkTrustClient: Check = (context) =>
  perClient(
    context,
    'trust.client',
    async (client, sink) => {
      const cert = clientFiles(client).cert;
      const chain = certs(cert);
      if (!chain || !cert) return;
      for (const member of context.members) {
        const pair = serverPair(member);
        if (!pair?.clientCertAuth) continue;
        const roots = certs(pair.trustedCa);
        if (!roots || !pair.trustedCa) continue;
        const result = await verifiedChain(context, chain, roots);
        if (!result.ok) {
          sink.fail(
            `${member.label} (${assign(pair.caKey, pair.trustedCa.path)}) will reject ${cert.path} with "remote error: tls: bad certificate": ${result.reason}`,
            `issue ${client.label}'s certificate from the CA in ${baseName(pair.trustedCa.path)}, or set ${pair.caKey} on ${member.label} to the CA that issued it`,
          );
        }
      }
    },
    (client) => {
      const cert = clientFiles(client).cert;
      const requiring = context.members.filter((m) => serverPair(m)?.clientCertAuth && serverPair(m)?.trustedCa?.certificates);
      return cert?.certificates && requiring.length
        ? `${baseName(cert.path)} chains to the trusted CA of ${requiring.map((m) => m.label).join(', ')}`
        : undefined;
    },
  );

/**
 * verifyChain once per distinct chain and trust list in a run: every member's peer certificate
 * is checked against every member's CA file, n^2 pairs of n distinct certificates and one CA.
 */
function verifiedChain(
  context: CheckContext,
  chain: readonly ParsedCertificate[],
  roots: readonly ParsedCertificate[],
): Promise<ChainResult> {
  const id = (certificates: readonly ParsedCertificate[]) => certificates.map(certificateId).join(',');
  return runIndex(context).once(`chain ${id(chain)} to ${id(roots)}`, () => verifyChain(chain, roots));
}

// A certificate's signature tells it from any other; computed once per parsed certificate.
const ids = new WeakMap<ParsedCertificate, string>();
function certificateId(certificate: ParsedCertificate): string {
  let id = ids.get(certificate);
  if (id === undefined) {
    id = Buffer.from(certificate.signature).toString('base64');
    ids.set(certificate, id);
  }
  return id;
}
