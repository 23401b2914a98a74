import { rfc3339 } from '../../x509/time.js';
import { crlIssuedBy, crlRevokes, parseCrl, type ParsedCrl } from '../../x509/crl-read.js';
import type { ParsedCertificate } from '../../x509/parse.js';
import { keyName } from '../../etcd-config/member-config.js';
import type { DeployedMember } from '../../etcd-config/model.js';
import { commonNameOf } from '../chain.js';
import { assign, baseName, perMember, tlsPairs, type Check } from '../context.js';

const DAY = 86_400_000;

/**
 * trust.crl: each CRL the member's configuration names is there, parses, was signed by a CA the
 * port trusts, is within its nextUpdate, and does not list the member's own certificate. etcd
 * 3.4 reads the file at every handshake and refuses every connection on that port while it is
 * missing or unreadable, and compares serials only (no signature, no nextUpdate), all measured:
 * a foreign or stale CRL is enforced all the same, so it is doctor's to catch.
 */
export const checkTrustCrl: Check = (context) =>
  perMember(
    context,
    'trust.crl',
    async (member, sink) => {
      for (const pair of tlsPairs(member)) {
        const side = pair.role === 'server' ? member.client : member.peer;
        const path = side.crlFile;
        if (path === undefined) continue;
        const setting = keyName(member.settings, pair.role === 'server' ? 'client-crl-file' : 'peer-crl-file');
        const port = pair.role === 'server' ? 'client' : 'peer';
        const file = member.files.get(path);
        if (!file?.bytes) {
          sink.fail(
            `${assign(setting, path)} ${file?.error ?? 'could not be read'}: etcd refuses every connection on the ${port} port while it cannot read it (its own gRPC gateway's included)`,
            `install the CRL there (install.sh does, before the configuration), or remove ${setting}`,
          );
          continue;
        }
        let crl: ParsedCrl;
        try {
          crl = parseCrl(file.bytes, path);
        } catch (error) {
          sink.fail(
            `${assign(setting, path)} is not a CRL (${error instanceof Error ? error.message : String(error)}): etcd refuses every connection on the ${port} port`,
            'install the CRL the bundle holds (etcd-pki revoke -refresh writes it again)',
          );
          continue;
        }
        const roots = pair.trustedCa?.certificates ?? [];
        let issuer: ParsedCertificate | undefined;
        for (const root of roots) if (await crlIssuedBy(crl, root)) issuer = root;
        if (roots.length > 0 && issuer === undefined) {
          sink.fail(
            `${baseName(path)} was not signed by a CA in ${baseName(pair.trustedCa!.path)}: etcd compares serials only, so it revokes none of this port's certificates`,
            `install the CRL of the CA the ${port} port trusts (etcd-pki revoke -refresh signs it again)`,
          );
          continue;
        }
        if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() <= context.now.getTime()) {
          sink.fail(
            `${baseName(path)} expired ${rfc3339(crl.nextUpdate)} (nextUpdate): etcd still enforces it, but a stale CRL may miss revocations and other readers reject it`,
            'sign it again and install it on every member: etcd-pki revoke -out DIR -refresh',
          );
          continue;
        }
        const own = pair.cert?.certificates?.[0];
        if (own && crlRevokes(crl, own.serial)) {
          sink.fail(
            `${baseName(path)} revokes the member's own ${pair.role} certificate ${baseName(pair.cert!.path)}: ${pair.role === 'server' ? "etcd's gRPC gateway, which dials the client port with it, is refused" : 'the other members refuse it'}`,
            "install the member's new certificate and key from the bundle (revoke re-issued them) before the CRL",
          );
          continue;
        }
        if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() - context.now.getTime() <= context.warnWithinMs) {
          sink.warn(
            `${baseName(path)} expires ${rfc3339(crl.nextUpdate)}, within ${Math.round(context.warnWithinMs / DAY)} days`,
            'sign it again before then: etcd-pki revoke -out DIR -refresh, and install it on every member',
          );
        }
      }
    },
    (member) => {
      const names = [member.client.crlFile, member.peer.crlFile].filter((p): p is string => p !== undefined);
      return names.length ? `${names.map(baseName).join(', ')}: signed by the port's CA, within nextUpdate` : undefined;
    },
  );

/**
 * trust.port-separation: the client port and the peer port trust no CA in common. When they do,
 * a client's certificate opens the peer port (etcdctl's answers GET /members on :2380) and a
 * member's peer certificate the client port (etcdctl put with it works): kubeadm's layout and
 * `-single-ca`, a WARN, since etcd works.
 */
export const checkTrustPortSeparation: Check = (context) =>
  perMember(
    context,
    'trust.port-separation',
    (member, sink) => {
      const shared = sharedCas(member);
      if (shared.length === 0) return;
      const server = tlsPairs(member).find((p) => p.role === 'server')!;
      const peer = tlsPairs(member).find((p) => p.role === 'peer')!;
      sink.warn(
        `${baseName(server.trustedCa!.path)} and ${baseName(peer.trustedCa!.path)} both trust "${commonNameOf(shared[0]!, 'subject')}": its client certificates are accepted on the peer port, and the members' peer certificates on the client port`,
        'give the peer port a CA of its own: etcd-pki cluster-bundle -trust migrating, restart the members one by one, then -trust separate and restart them again (docs/trust.md)',
      );
    },
    (member) => {
      const pairs = tlsPairs(member);
      const server = pairs.find((p) => p.role === 'server')?.trustedCa;
      const peer = pairs.find((p) => p.role === 'peer')?.trustedCa;
      return server?.certificates && peer?.certificates ? `${baseName(server.path)} and ${baseName(peer.path)} share no CA` : undefined;
    },
  );

/** The CAs both ports trust (same subject and key). */
function sharedCas(member: DeployedMember): ParsedCertificate[] {
  const pairs = tlsPairs(member);
  const server = pairs.find((p) => p.role === 'server')?.trustedCa?.certificates;
  const peer = pairs.find((p) => p.role === 'peer')?.trustedCa?.certificates;
  if (!server || !peer) return [];
  const same = (a: ParsedCertificate, b: ParsedCertificate) =>
    Buffer.compare(a.subject, b.subject) === 0 && Buffer.compare(a.subjectPublicKeyInfo, b.subjectPublicKeyInfo) === 0;
  return server.filter((a) => peer.some((b) => same(a, b)));
}

/**
 * trust.crl-http-split: GHSA-3wh4-j44w-pg92: etcd before 3.5.32 and 3.6.13 does not check
 * --client-crl-file on the gRPC listener when --listen-client-http-urls splits HTTP off it, so a
 * revoked client certificate still works over gRPC (etcdctl). etcd 3.4 has no such flag.
 */
export const checkCrlHttpSplit: Check = (context) =>
  perMember(
    context,
    'trust.crl-http-split',
    (member, sink) => {
      // An etcd 3.5+ flag: 3.4's table has it as an unknown setting (a WARN of config.settings of its own).
      const split = member.settings.problems.find((p) =>
        /^(ETCD_LISTEN_CLIENT_HTTP_URLS|-{0,2}listen-client-http-urls)$/.test(p.source.key),
      );
      if (!split || member.client.crlFile === undefined) return;
      sink.warn(
        `${split.source.key} with ${keyName(member.settings, 'client-crl-file')}: etcd before 3.5.32 (and 3.6 before 3.6.13) does not check the CRL on the gRPC listener then (GHSA-3wh4-j44w-pg92), so revoked client certificates still work with etcdctl`,
        'run etcd 3.5.32, 3.6.13 or later, or remove listen-client-http-urls',
      );
    },
    (member) =>
      member.client.crlFile !== undefined ? 'gRPC and HTTP share the client listener: the client CRL is checked on both' : undefined,
  );
