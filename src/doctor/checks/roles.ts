import { OID } from '../../asn1/oids.js';
import type { ParsedCertificate } from '../../x509/parse.js';
import { baseName, clientFiles, peerPair, perClient, perMember, serverPair, type Check } from '../context.js';

/** The extended key usages a certificate allows, in cfssl's usage names. */
export function extendedUsages(certificate: ParsedCertificate): { serverAuth: boolean; clientAuth: boolean; text: string } {
  const eku = certificate.extensions.extKeyUsage;
  // RFC 5280 4.2.1.12: no EKU extension, or anyExtendedKeyUsage, means any purpose (Go agrees).
  if (!eku || eku.includes(OID.anyExtendedKeyUsage))
    return { serverAuth: true, clientAuth: true, text: eku ? 'any extended key usage' : 'no extended key usage extension (any)' };
  const names = eku.map((oid) => (oid === OID.serverAuth ? 'server auth' : oid === OID.clientAuth ? 'client auth' : oid));
  return { serverAuth: eku.includes(OID.serverAuth), clientAuth: eku.includes(OID.clientAuth), text: names.join(', ') || 'none' };
}

/**
 * roles.server: the server certificate has server auth, and client auth when client-cert-auth is
 * on: etcd's gRPC gateway then dials the member's own client port presenting this certificate
 * (etcd logs "Failed to dial ...: connection error" otherwise). The walkthrough's `server` profile
 * has no client auth.
 */
export const checkRolesServer: Check = (context) =>
  perMember(
    context,
    'roles.server',
    (member, sink) => {
      const pair = serverPair(member);
      const leaf = pair?.cert?.certificates?.[0];
      if (!pair || !leaf) return;
      const usage = extendedUsages(leaf);
      const name = baseName(pair.cert!.path);
      if (!usage.serverAuth) {
        sink.fail(
          `${name} allows ${usage.text}, not server auth: clients reject it`,
          `re-issue ${name} with the usages "server auth" and "client auth" (etcd-pki cluster-bundle does)`,
        );
      }
      if (pair.clientCertAuth && !usage.clientAuth) {
        const auth = member.settings.values.get('client-cert-auth')?.source.key ?? 'client-cert-auth';
        sink.fail(
          `${name} allows ${usage.text}, but ${auth} is on: etcd dials its own client port with this certificate and is refused ("tls: bad certificate")`,
          `re-issue ${name} with "client auth" as well as "server auth" (add "client auth" to the server profile's usages)`,
        );
      }
    },
    (member) => {
      const pair = serverPair(member);
      const leaf = pair?.cert?.certificates?.[0];
      return leaf ? `${baseName(pair!.cert!.path)} allows ${extendedUsages(leaf).text}` : undefined;
    },
  );

/** roles.peer: a peer certificate is a server (to the peers that dial it) and a client (when it dials). */
export const checkRolesPeer: Check = (context) =>
  perMember(
    context,
    'roles.peer',
    (member, sink) => {
      const pair = peerPair(member);
      const leaf = pair?.cert?.certificates?.[0];
      if (!pair || !leaf) return;
      const usage = extendedUsages(leaf);
      const missing = [...(usage.serverAuth ? [] : ['server auth']), ...(usage.clientAuth ? [] : ['client auth'])];
      if (missing.length > 0) {
        const name = baseName(pair.cert!.path);
        sink.fail(
          `${name} allows ${usage.text}, not ${missing.join(' or ')}: peer connections ${usage.serverAuth ? 'from' : 'to'} ${member.label} fail`,
          `re-issue ${name} with the peer profile (usages "server auth" and "client auth")`,
        );
      }
    },
    (member) => {
      const pair = peerPair(member);
      const leaf = pair?.cert?.certificates?.[0];
      return leaf ? `${baseName(pair!.cert!.path)} allows ${extendedUsages(leaf).text}` : undefined;
    },
  );

/** roles.client: a client certificate has client auth. */
export const checkRolesClient: Check = (context) =>
  perClient(
    context,
    'roles.client',
    (client, sink) => {
      const cert = clientFiles(client).cert;
      const leaf = cert?.certificates?.[0];
      if (!leaf || !cert) return;
      const usage = extendedUsages(leaf);
      if (!usage.clientAuth) {
        sink.fail(
          `${baseName(cert.path)} allows ${usage.text}, not client auth: members reject it ("tls: bad certificate")`,
          `re-issue ${baseName(cert.path)} with the client profile (usage "client auth")`,
        );
      }
    },
    (client) => {
      const cert = clientFiles(client).cert;
      const leaf = cert?.certificates?.[0];
      return leaf ? `${baseName(cert!.path)} allows ${extendedUsages(leaf).text}` : undefined;
    },
  );
