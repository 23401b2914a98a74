import { findingsFor, type Finding } from '../findings.js';
import { describeSetting, keyName } from '../../etcd-config/member-config.js';
import type { DeployedMember } from '../../etcd-config/model.js';
import { isLoopbackHost, isUnspecifiedHost, parseEtcdUrl } from '../../etcd-config/urls.js';
import { perMember, type Check } from '../context.js';

/** config.settings: what etcd would ignore or refuse in the configuration itself. */
export const checkSettings: Check = (context) => {
  const out: Finding[] = [];
  for (const [subjects, kind] of [
    [context.members, 'member'],
    [context.clients, 'client'],
  ] as const) {
    for (const subject of subjects) {
      const sink = findingsFor(out, 'config.settings', subject.label, kind);
      for (const problem of subject.settings.problems) {
        const where = problem.source.line === undefined ? problem.source.file : `${problem.source.file}:${problem.source.line}`;
        const text = `${problem.source.key} (${where}): ${problem.message}`;
        if (problem.severity === 'FAIL') sink.fail(text, problem.fix);
        else sink.warn(text, problem.fix);
      }
      if (sink.problems === 0)
        sink.ok(`${subject.settings.values.size} settings, each one etcd${kind === 'client' ? 'ctl' : ''} reads (${subject.source})`);
    }
  }
  return out;
};

const URL_FLAGS = [
  ['listen-client-urls', (m: DeployedMember) => m.listenClientUrls, false],
  ['advertise-client-urls', (m: DeployedMember) => m.advertiseClientUrls, true],
  ['listen-peer-urls', (m: DeployedMember) => m.listenPeerUrls, false],
  ['initial-advertise-peer-urls', (m: DeployedMember) => m.initialAdvertisePeerUrls, true],
] as const;

/** cluster.url-syntax: every URL is scheme://host:port, advertised URLs name a dialable host. */
export const checkUrlSyntax: Check = (context) =>
  perMember(
    context,
    'cluster.url-syntax',
    (member, sink) => {
      for (const [flag, urls, advertised] of URL_FLAGS) {
        for (const text of urls(member)) {
          const url = parseEtcdUrl(text);
          if (!url.ok) {
            sink.fail(
              `${keyName(member.settings, flag)} has ${JSON.stringify(text)}, which ${url.reason}; etcd refuses to start`,
              `write it as https://HOST:PORT`,
            );
          } else if (advertised && isUnspecifiedHost(url.host)) {
            sink.fail(
              `${keyName(member.settings, flag)} advertises ${text}, an address nobody can dial`,
              `advertise the member's own IP address or DNS name`,
            );
          }
        }
      }
      const clusterKey = keyName(member.settings, 'initial-cluster');
      for (const piece of member.initialClusterErrors) {
        sink.fail(
          `${clusterKey} has ${JSON.stringify(piece)}, which is not name=URL`,
          `write every member as NAME=https://HOST:2380, separated by commas`,
        );
      }
      for (const entry of member.initialCluster) {
        const url = parseEtcdUrl(entry.url);
        if (!url.ok)
          sink.fail(
            `${clusterKey} has ${entry.name}=${JSON.stringify(entry.url)}, which ${url.reason}`,
            `write it as ${entry.name}=https://HOST:2380`,
          );
      }
    },
    () => 'every URL is scheme://host:port',
  );

function hasTls(side: DeployedMember['client']): boolean {
  return (side.certFile !== undefined && side.keyFile !== undefined) || side.autoTls;
}

/**
 * cluster.url-scheme: https wherever TLS files are set, and never https without them. A plain
 * http listener next to https (the walkthrough's `http://127.0.0.1:2379`) is a WARN: it bypasses
 * client certificate authentication for anyone on the host.
 */
export const checkUrlScheme: Check = (context) =>
  perMember(
    context,
    'cluster.url-scheme',
    (member, sink) => {
      for (const [side, prefix, flags] of [
        [member.client, '', ['listen-client-urls', 'advertise-client-urls']],
        [member.peer, 'peer-', ['listen-peer-urls', 'initial-advertise-peer-urls']],
      ] as const) {
        const tls = hasTls(side);
        const certKey = keyName(member.settings, `${prefix}cert-file`);
        const what = prefix === '' ? 'client' : 'peer';
        for (const flag of flags) {
          const urls =
            flag === 'listen-client-urls'
              ? member.listenClientUrls
              : flag === 'advertise-client-urls'
                ? member.advertiseClientUrls
                : flag === 'listen-peer-urls'
                  ? member.listenPeerUrls
                  : member.initialAdvertisePeerUrls;
          for (const text of urls) {
            const url = parseEtcdUrl(text);
            if (!url.ok) continue;
            const secure = url.scheme === 'https' || url.scheme === 'unixs';
            if (secure && !tls) {
              sink.fail(
                `${keyName(member.settings, flag)} has ${text}, but ${certKey} and ${keyName(member.settings, `${prefix}key-file`)} are not both set; etcd refuses to start ("TLS key/cert (--${prefix}cert-file, --${prefix}key-file) must be provided for ${what} url ${text} with HTTPS scheme")`,
                `set ${certKey} and ${keyName(member.settings, `${prefix}key-file`)} to this member's ${what === 'client' ? 'server' : 'peer'} certificate and key`,
              );
            } else if (!secure && tls) {
              // Not fatal: a member moving to https listens on http while dialing https peers with
              // its peer certificate (the walkthrough's etcd4 in 8.4), and a plain 127.0.0.1
              // listener is a common convenience; both leave traffic without TLS.
              const auth = side.clientCertAuth
                ? `, bypassing the certificate authentication ${keyName(member.settings, `${prefix}client-cert-auth`)} asks for`
                : '';
              sink.warn(
                `${keyName(member.settings, flag)} has ${text} although ${describeSetting(member.settings, `${prefix}cert-file`)}: ${what} traffic there is plain http${auth}`,
                `use https://${url.address} in ${keyName(member.settings, flag)}`,
              );
            }
          }
        }
      }
      // Advertised URLs must be served: a listener with the same scheme on the same port.
      for (const [advertise, listen] of [
        ['advertise-client-urls', 'listen-client-urls'],
        ['initial-advertise-peer-urls', 'listen-peer-urls'],
      ] as const) {
        const listening = (advertise === 'advertise-client-urls' ? member.listenClientUrls : member.listenPeerUrls).map(parseEtcdUrl);
        for (const text of advertise === 'advertise-client-urls' ? member.advertiseClientUrls : member.initialAdvertisePeerUrls) {
          const url = parseEtcdUrl(text);
          if (!url.ok || url.scheme.startsWith('unix')) continue;
          const served = listening.some((l) => l.ok && l.port === url.port && l.scheme === url.scheme);
          if (!served && listening.some((l) => l.ok && l.port === url.port)) {
            sink.fail(
              `${keyName(member.settings, advertise)} has ${text}, but ${describeSetting(member.settings, listen)} serves port ${url.port} with another scheme; those who dial it fail ("first record does not look like a TLS handshake")`,
              `use the same scheme in ${keyName(member.settings, advertise)} and ${keyName(member.settings, listen)}`,
            );
          }
        }
      }
      if (hasTls(member.peer)) {
        for (const entry of member.initialCluster) {
          const url = parseEtcdUrl(entry.url);
          if (url.ok && url.scheme === 'http' && entry.name !== member.name) {
            sink.warn(
              `${keyName(member.settings, 'initial-cluster')} has ${entry.name}=${entry.url} (plain http) while this member's peer port uses TLS`,
              `switch ${entry.name} to https too, and write ${entry.name}=https://${url.address}`,
            );
          }
        }
      }
    },
    (member) => {
      const schemes = (urls: readonly string[]) => [...new Set(urls.map((u) => u.replace(/:\/\/.*$/, '')))].join('+');
      return `client URLs ${schemes([...member.listenClientUrls, ...member.advertiseClientUrls])}, peer URLs ${schemes([...member.listenPeerUrls, ...member.initialAdvertisePeerUrls])}, matching the TLS settings`;
    },
  );

/** auth.client: client certificate authentication on wherever the client port uses TLS. */
export const checkAuthClient: Check = (context) =>
  perMember(
    context,
    'auth.client',
    (member, sink) => {
      const authKey = keyName(member.settings, 'client-cert-auth');
      const caKey = keyName(member.settings, 'trusted-ca-file');
      if (!hasTls(member.client)) {
        const exposed = member.listenClientUrls.map(parseEtcdUrl).filter((u) => u.ok && !isLoopbackHost(u.host));
        if (exposed.length > 0)
          sink.warn(
            `clients talk plain http on ${exposed.map((u) => u.text).join(', ')}: no encryption, no authentication`,
            `set ${keyName(member.settings, 'cert-file')}, ${keyName(member.settings, 'key-file')}, ${authKey}="true" and ${caKey}, and use https URLs`,
          );
        return;
      }
      if (!member.client.clientCertAuth) {
        sink.warn(
          `${describeSetting(member.settings, 'client-cert-auth', 'false')}: any client that reaches the client port can read and write every key`,
          `set ${authKey}="true" and ${caKey} to the CA of the client certificates`,
        );
      } else if (!member.client.trustedCaFile) {
        sink.fail(
          `${authKey} is on but ${caKey} is not set: etcd verifies client certificates against the system's CAs and rejects the cluster's`,
          `set ${caKey} to the CA that issued the client certificates`,
        );
      }
    },
    (member) => (hasTls(member.client) ? 'client-cert-auth is on, with a trusted CA' : 'client port on loopback only'),
  );

/** auth.peer: peer certificate authentication on wherever the peer port uses TLS. */
export const checkAuthPeer: Check = (context) =>
  perMember(
    context,
    'auth.peer',
    (member, sink) => {
      const authKey = keyName(member.settings, 'peer-client-cert-auth');
      if (!hasTls(member.peer)) {
        const exposed = member.listenPeerUrls.map(parseEtcdUrl).filter((u) => u.ok && !isLoopbackHost(u.host));
        if (exposed.length > 0)
          sink.warn(
            `peers talk plain http on ${exposed.map((u) => u.text).join(', ')}: anyone who reaches it can join the raft traffic`,
            `set ${keyName(member.settings, 'peer-cert-file')}, ${keyName(member.settings, 'peer-key-file')}, ${authKey}="true" and ${keyName(member.settings, 'peer-trusted-ca-file')}, and use https peer URLs`,
          );
        return;
      }
      if (!member.peer.clientCertAuth) {
        sink.warn(
          `${describeSetting(member.settings, 'peer-client-cert-auth', 'false')}: anyone who reaches the peer port can talk to the member as a peer`,
          `set ${authKey}="true"`,
        );
      }
    },
    (member) => (hasTls(member.peer) ? 'peer-client-cert-auth is on' : 'peer port on loopback only'),
  );
