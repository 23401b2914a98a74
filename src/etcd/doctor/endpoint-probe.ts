import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { Der } from '../../pem/pem.js';
import { parseEtcdUrl } from './urls.js';

/** One TLS connection and one HTTP request over it. */
export interface TlsAttempt {
  /** The handshake completed (the server may still refuse the client certificate right after). */
  readonly handshake: boolean;
  /** Why the connection or the request failed: `ECONNREFUSED`, `tlsv13 alert certificate required`, ... */
  readonly error?: string;
  readonly status?: number;
  readonly body?: string;
}

/** A member as `/v3/cluster/member/list` (client port) or `/members` (peer port) lists it. */
export interface LiveMember {
  readonly id: string;
  /** Empty for a member added but not started yet. */
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
}

/** What doctor saw at a live endpoint: data only, checked by the endpoint checks. */
export interface EndpointProbe {
  readonly url: string;
  readonly host: string;
  readonly caGiven: boolean;
  readonly clientCertGiven: boolean;
  /**
   * The server's certificate chain, leaf first (DER), as Node resolves it: what the server sent,
   * completed with issuers from the given CA. Empty when there was no handshake.
   */
  readonly chain: readonly Der[];
  readonly protocol?: string;
  /** The chain verified against the given CA (or Node's default CAs when none was given). */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  /** With our client certificate, when one was given. */
  readonly withClientCert?: TlsAttempt;
  /** Without a client certificate: refused when the server requires one. */
  readonly withoutClientCert: TlsAttempt;
  /** Which port answered the member list: etcd's client API or its peer API. */
  readonly port: 'client' | 'peer' | 'unknown';
  readonly members?: readonly LiveMember[];
  readonly membersError?: string;
}

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
  const base = { url: options.url, host, caGiven: options.ca !== undefined, clientCertGiven: options.cert !== undefined };
  if (!url.ok || url.scheme !== 'https') {
    const error = url.ok ? `is ${url.scheme}, not https` : url.reason;
    return { ...base, chain: [], authorized: false, withoutClientCert: { handshake: false, error }, port: 'unknown' };
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  const target = { host, port: Number(url.port), servername: isIP(host) === 0 ? host : undefined, ca: options.ca, timeoutMs };
  const withCert = options.cert !== undefined && options.key !== undefined ? { ...target, cert: options.cert, key: options.key } : undefined;

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
        membersError = client.result.error ?? peer.result.error ?? `the member list answered HTTP ${client.result.status ?? '-'} / ${peer.result.status ?? '-'}`;
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

interface Target {
  readonly host: string;
  readonly port: number;
  readonly servername: string | undefined;
  readonly ca: Uint8Array | string | undefined;
  readonly cert?: Uint8Array | string;
  readonly key?: Uint8Array | string;
  readonly timeoutMs: number;
}

interface AttemptResult {
  readonly result: TlsAttempt;
  readonly chain: Der[];
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly protocol?: string;
}

const buffer = (data: Uint8Array | string | undefined) => (data === undefined ? undefined : Buffer.from(data));

function attempt(target: Target, method: 'GET' | 'POST', path: string, body?: string): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
    let handshake = false;
    let chain: Der[] = [];
    let authorized = false;
    let authorizationError: string | undefined;
    let protocol: string | undefined;
    const chunks: Buffer[] = [];
    const finish = (result: Omit<TlsAttempt, 'handshake'>) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({
        result: { handshake, ...result },
        chain,
        authorized,
        ...(authorizationError !== undefined ? { authorizationError } : {}),
        ...(protocol !== undefined ? { protocol } : {}),
      });
    };
    const socket: TLSSocket = connect({
      host: target.host,
      port: target.port,
      ...(target.servername !== undefined ? { servername: target.servername } : {}),
      ...(target.ca !== undefined ? { ca: buffer(target.ca) } : {}),
      ...(target.cert !== undefined ? { cert: buffer(target.cert), key: buffer(target.key) } : {}),
      // Verified below and reported, not refused: doctor must see an untrusted chain to describe it.
      rejectUnauthorized: false,
    });
    socket.setTimeout(target.timeoutMs, () => finish({ error: `no answer within ${target.timeoutMs} ms` }));
    socket.on('secureConnect', () => {
      handshake = true;
      authorized = socket.authorized;
      if (!socket.authorized) authorizationError = String(socket.authorizationError);
      protocol = socket.getProtocol() ?? undefined;
      chain = peerChain(socket.getPeerCertificate(true));
      const payload = body ?? '';
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: ${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}\r\n` +
          `User-Agent: etcd-pki-doctor\r\nAccept: application/json\r\nConnection: close\r\n` +
          (method === 'POST' ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` : '') +
          `\r\n${payload}`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // etcd's peer port leaves the connection open after answering, Connection: close or not.
      const complete = completeResponse(Buffer.concat(chunks));
      if (complete) finish(complete);
    });
    socket.on('end', () => finish(parseHttp(Buffer.concat(chunks))));
    socket.on('close', () => finish(chunks.length ? parseHttp(Buffer.concat(chunks)) : { error: handshake ? 'the server closed the connection without answering' : 'the connection closed during the handshake' }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (chunks.length && handshake) finish(parseHttp(Buffer.concat(chunks)));
      else finish({ error: errorText(error) });
    });
  });
}

/** `tlsv13 alert certificate required` out of OpenSSL's `...:SSL routines:ssl3_read_bytes:tlsv13 alert ...:file:line:...`. */
function errorText(error: NodeJS.ErrnoException): string {
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(error.message);
  if (openssl) return openssl[1]!;
  return error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message;
}

function peerChain(leaf: DetailedPeerCertificate | undefined): Der[] {
  const out: Der[] = [];
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current?.raw && !out.some((der) => Buffer.from(der).equals(current!.raw))) {
    out.push(new Uint8Array(current.raw));
    current = current.issuerCertificate;
  }
  return out;
}

/** The response, once `data` holds all of it (by Content-Length, or the last chunk); else undefined. */
function completeResponse(data: Buffer): Omit<TlsAttempt, 'handshake'> | undefined {
  const split = data.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const head = data.subarray(0, split).toString('latin1');
  const body = data.subarray(split + 4);
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) return body.length >= Number(length[1]) ? parseHttp(data) : undefined;
  if (/^transfer-encoding:\s*chunked/im.test(head)) return body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).toString() === '0\r\n\r\n' ? parseHttp(data) : undefined;
  return undefined;
}

/** Status and body of an HTTP/1.1 response read to the end (chunked or not). */
function parseHttp(data: Buffer): Omit<TlsAttempt, 'handshake'> {
  const text = data.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) return { error: `not an HTTP response: ${JSON.stringify(text.slice(0, 60))}` };
  let body = split < 0 ? '' : text.slice(split + 4);
  if (/^transfer-encoding:\s*chunked/im.test(head)) body = dechunk(body);
  return { status: Number(status[1]), body };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line < 0) return out;
    const size = parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
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
