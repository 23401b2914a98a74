import { keyName } from '../../etcd-config/member-config.js';
import { isLoopbackHost } from '../../etcd-config/urls.js';
import type { DeployedMember } from '../../etcd-config/model.js';
import { runIndex } from '../run-index.js';
import { perClient, serverPair, type Check } from '../context.js';
import type { DeployedClient } from '../../etcd-config/model.js';

const settingKey = (client: DeployedClient, ...names: string[]) => names.find((n) => client.settings.values.has(n)) ?? names[0]!;
/** The CA file the members trust, as the value to suggest; else a description of it. */
function suggestCa(context: Parameters<Check>[0]): string {
  const path = context.members.map((m) => serverPair(m)?.trustedCa?.path).find((p) => p !== undefined);
  return path ?? "the CA certificate that issued the members' server certificates (a bundle's ca.pem, the walkthrough's rootca.pem)";
}

/**
 * client.ca: a client that talks TLS names the CA of the members' server certificates; without
 * it etcdctl fails with "x509: certificate signed by unknown authority" (the walkthrough's first
 * `etcdctl cluster-health` after switching to https).
 */
export const checkClientCa: Check = (context) =>
  perClient(
    context,
    'client.ca',
    (client, sink) => {
      const tls = context.members.some((m) => m.client.certFile) || client.endpoints.some((e) => e.startsWith('https://'));
      if (!tls || client.caFile) return;
      const key = settingKey(client, 'ETCDCTL_CACERT', 'ETCDCTL_CA_FILE');
      sink.fail(
        `${key} is not set (${client.source}): ${client.label} verifies the members' certificates against the system's CAs and fails with "x509: certificate signed by unknown authority"`,
        `set ${key}=${suggestCa(context)}`,
      );
    },
    (client) => (client.caFile ? `verifies servers with ${client.caFile}` : 'talks plain http'),
  );

/**
 * client.cert: a client of members with client-cert-auth on has a certificate and key; without
 * one etcdctl fails with "remote error: tls: bad certificate".
 */
export const checkClientCert: Check = (context) =>
  perClient(
    context,
    'client.cert',
    (client, sink) => {
      const requiring = context.members.filter((m) => m.client.clientCertAuth);
      if (requiring.length === 0 || client.certFile) return;
      const key = settingKey(client, 'ETCDCTL_CERT', 'ETCDCTL_CERT_FILE');
      sink.fail(
        `${key} is not set (${client.source}), but ${requiring.map((m) => `${m.label} (${keyName(m.settings, 'client-cert-auth')})`).join(', ')} require a client certificate: etcdctl fails with "remote error: tls: bad certificate"`,
        `set ${key} and ${settingKey(client, 'ETCDCTL_KEY', 'ETCDCTL_KEY_FILE')} to a certificate issued with the client profile and its key`,
      );
    },
    (client) => (client.certFile ? `presents ${client.certFile}` : 'no member requires a client certificate'),
  );

/** client.endpoints: a client's endpoints are well formed and are members' client URLs. */
export const checkClientEndpoints: Check = (context) =>
  perClient(
    context,
    'client.endpoints',
    (client, sink) => {
      const key = settingKey(client, 'ETCDCTL_ENDPOINTS', 'ETCDCTL_ENDPOINT');
      if (client.endpoints.length === 0) {
        sink.warn(
          `${key} is not set (${client.source}): etcdctl dials 127.0.0.1:2379`,
          `set ${key} to the members' client URLs, comma-separated`,
        );
        return;
      }
      const index = runIndex(context);
      // The members' client URLs by place and by address, the first one of each (as a scan finds it).
      const served = index.once('client-urls', () => {
        const byKey = new Map<string, { member: DeployedMember; url: string }>();
        const byAddress = new Map<string, { member: DeployedMember; url: string }>();
        for (const member of context.members) {
          for (const url of [...member.advertiseClientUrls, ...member.listenClientUrls]) {
            const key = index.urlKey(url);
            if (!byKey.has(key)) byKey.set(key, { member, url });
            const parsed = index.url(url);
            if (parsed.ok && !byAddress.has(parsed.address)) byAddress.set(parsed.address, { member, url });
          }
        }
        return { byKey, byAddress };
      });
      for (const endpoint of client.endpoints) {
        const url = index.url(endpoint);
        if (!url.ok) {
          sink.fail(`${key} has ${JSON.stringify(endpoint)}, which ${url.reason}`, `write it as https://HOST:2379`);
          continue;
        }
        if (context.members.length === 0) continue;
        if (served.byKey.has(index.urlKey(endpoint))) continue;
        const sameAddress = served.byAddress.get(url.address);
        if (sameAddress) {
          sink.fail(
            `${key} has ${endpoint}, but ${sameAddress.member.label} serves ${sameAddress.url} there`,
            `write ${sameAddress.url} in ${key}`,
          );
        } else if (context.complete && !isLoopbackHost(url.host)) {
          sink.warn(`${key} has ${endpoint}, which is no member's client URL`, `use the members' ETCD_ADVERTISE_CLIENT_URLS in ${key}`);
        }
      }
    },
    (client) => `${client.endpoints.join(', ')}`,
  );
