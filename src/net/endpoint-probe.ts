import { PEM_LABELS, decodePemBlocks, type Der } from '../pem/pem.js';
import { exchangeTls, opensslReason, parseHttpResponse, type TlsExchange, type TlsExchangeOptions } from './tls-exchange.js';
import type { EndpointProbe, LiveMember, TlsAttempt } from '../doctor/live-endpoint.js';
import { parseEtcdUrl } from '../etcd-config/urls.js';

export type { EndpointProbe, LiveMember, TlsAttempt } from '../doctor/live-endpoint.js';

export interface ProbeEndpointOptions {
  /** `https://127.0.0.21:2379` (client port) or `:2380` (peer port). */
  readonly url: string;
  /** PEM of the CA that should verify the server (etcdctl's --cacert). */
  readonly ca?: Uint8Array | string | undefined;
  /** PEM of our client certificate and key (etcdctl's --cert, --key). */
  readonly cert?: Uint8Array | string | undefined;
  readonly key?: Uint8Array | string | undefined;
  /** Per connection; default 5000. */
  readonly timeoutMs?: number;
}

/**
 * Connects to a live etcd endpoint with `node:tls` and records what it serves: the chain, whether
 * it verifies with `ca`, whether our client certificate is accepted (and whether one is required),
 * and the member list when the endpoint answers it. Never throws for a network problem: the
 * failure is in the result. Makes at most four connections.
 */
export async function probeEndpoint(options: ProbeEndpointOptions): Promise<EndpointProbe> {
  const url = parseEtcdUrl(options.url);
  const host = url.ok ? url.host : options.url;
  const presented = options.cert !== undefined ? firstCertificate(options.cert) : undefined;
  const base = {
    url: options.url,
    host,
    caGiven: options.ca !== undefined,
    clientCertGiven: options.cert !== undefined,
    ...(presented ? { clientCertificate: presented } : {}),
  };
  if (!url.ok || url.scheme !== 'https') {
    const error = url.ok ? `is ${url.scheme}, not https` : url.reason;
    return { ...base, chain: [], authorized: false, withoutClientCert: { handshake: false, error }, port: 'unknown' };
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  const target: Target = { host, port: Number(url.port), ca: options.ca, timeoutMs };
  const withCert =
    options.cert !== undefined && options.key !== undefined ? { ...target, cert: options.cert, key: options.key } : undefined;

  const first = await attempt(withCert ?? target, 'GET', '/version');
  const second = withCert ? await attempt(target, 'GET', '/version') : undefined;
  const accepted = first.result.status !== undefined ? (withCert ?? target) : second?.result.status !== undefined ? target : undefined;

  let port: EndpointProbe['port'] = 'unknown';
  let members: LiveMember[] | undefined;
  let membersError: string | undefined;
  if (accepted) {
    const client = await attempt(accepted, 'POST', '/v3/cluster/member/list', '{}');
    const parsed = client.result.status === 200 ? parseMembers(client.result.body ?? '', 'client') : undefined;
    if (parsed) {
      port = 'client';
      members = parsed;
    } else {
      const peer = await attempt(accepted, 'GET', '/members');
      const peerMembers = peer.result.status === 200 ? parseMembers(peer.result.body ?? '', 'peer') : undefined;
      if (peerMembers) {
        port = 'peer';
        members = peerMembers;
      } else {
        membersError =
          client.result.error ??
          peer.result.error ??
          `the member list answered HTTP ${client.result.status ?? '-'} / ${peer.result.status ?? '-'}`;
      }
    }
  }
  return {
    ...base,
    chain: first.chain,
    ...(first.protocol !== undefined ? { protocol: first.protocol } : {}),
    authorized: first.authorized,
    ...(first.authorizationError !== undefined ? { authorizationError: first.authorizationError } : {}),
    ...(withCert ? { withClientCert: first.result } : {}),
    withoutClientCert: second?.result ?? first.result,
    port,
    ...(members ? { members } : {}),
    ...(membersError !== undefined ? { membersError } : {}),
  };
}

function firstCertificate(pem: Uint8Array | string): Der | undefined {
  try {
    return decodePemBlocks(typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8')).find(
      (b) => b.label === PEM_LABELS.certificate,
    )?.der;
  } catch {
    return undefined;
  }
}

type Target = Pick<TlsExchangeOptions, 'host' | 'port' | 'ca' | 'cert' | 'key' | 'timeoutMs'>;

type AttemptResult = TlsExchange & { readonly result: TlsAttempt };

async function attempt(target: Target, method: 'GET' | 'POST', path: string, body?: string): Promise<AttemptResult> {
  const exchange = await exchangeTls({ ...target, method, path, ...(body !== undefined ? { body } : {}), userAgent: 'etcd-pki-doctor' });
  const { handshake, stop, response } = exchange;
  // Whatever the server sent, once it answered, ended the connection, or broke it after sending something.
  if (stop === 'answered' || (response.length > 0 && (exchange.serverEnded || stop !== 'timeout'))) {
    return { ...exchange, result: { handshake, ...parseHttpResponse(response) } };
  }
  // Ended with nothing sent, not a malformed HTTP response. Some TLS 1.2 servers refuse a client
  // certificate that way, without an alert, before the handshake completes.
  if (exchange.serverEnded) {
    const error = handshake
      ? 'the server closed the connection without answering'
      : `the server closed the connection during the TLS handshake${target.cert !== undefined ? ' (as some servers do when they refuse the client certificate)' : ''}`;
    return { ...exchange, result: { handshake, error } };
  }
  return { ...exchange, result: { handshake, error: opensslReason(exchange.error ?? stop) } };
}

function hexId(id: string): string {
  return /^\d+$/.test(id) ? BigInt(id).toString(16) : id;
}

function parseMembers(body: string, port: 'client' | 'peer'): LiveMember[] | undefined {
  try {
    // IDs are uint64: keep their digits (a JS number has 53 bits).
    const json = JSON.parse(body.replace(/"(ID|id)":\s*(\d+)/g, '"$1":"$2"')) as unknown;
    const list = port === 'client' ? (json as { members?: unknown }).members : json;
    if (!Array.isArray(list)) return undefined;
    return list.map((item: Record<string, unknown>) => ({
      // Both APIs give IDs in decimal; etcdctl shows and takes them in hex.
      id: hexId(String(item['ID'] ?? item['id'] ?? '')),
      name: typeof item['name'] === 'string' ? item['name'] : '',
      peerUrls: Array.isArray(item['peerURLs']) ? item['peerURLs'].map(String) : [],
      clientUrls: Array.isArray(item['clientURLs']) ? item['clientURLs'].map(String) : [],
    }));
  } catch {
    return undefined;
  }
}
