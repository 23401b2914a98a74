import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { Der } from '../pem/pem.js';

/** What one TLS connection to an etcd endpoint, and one HTTP request over it, showed. */
export interface TlsExchange {
  /** A TCP connection was made: the endpoint is up, whatever became of the handshake. */
  readonly connected: boolean;
  /** The handshake completed (the server may still refuse the client certificate right after). */
  readonly handshake: boolean;
  /**
   * The server's certificate chain, leaf first (DER), as Node resolves it: what the server sent,
   * completed with issuers from the given CA. Empty when there was no handshake.
   */
  readonly chain: readonly Der[];
  /** The chain verified against the given CA (or Node's default CAs when none was given). */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  readonly protocol?: string;
  /** How the exchange stopped: the response was read (`answered`), or time ran out, the socket failed or closed first. */
  readonly stop: 'answered' | 'timeout' | 'error' | 'close';
  /** The server ended the connection (TCP FIN or TLS close_notify) before the exchange stopped. */
  readonly serverEnded: boolean;
  /** What was received of the HTTP response (decrypted), whole or in part; empty when nothing was. */
  readonly response: Uint8Array;
  /** Why it stopped unanswered: `no answer within 5000 ms`, Node's `ECONNREFUSED: connect ...` or OpenSSL's message, a close. */
  readonly error?: string;
}

export interface TlsExchangeOptions {
  /** Without IPv6 brackets. */
  readonly host: string;
  readonly port: number;
  /** PEM of the CA that should verify the server (etcdctl's --cacert); Node's default CAs when absent. */
  readonly ca?: Uint8Array | string | undefined;
  /** PEM of the client certificate and key to present (etcdctl's --cert, --key); none unless both are given. */
  readonly cert?: Uint8Array | string | undefined;
  readonly key?: Uint8Array | string | undefined;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** A POST's JSON body. */
  readonly body?: string;
  /** Default `etcd-pki`. */
  readonly userAgent?: string;
  /**
   * Count the response as read at its status line, which is enough to know the server answered;
   * default false: read all of it (by Content-Length or the last chunk).
   */
  readonly statusOnly?: boolean;
  /** Idle time, in milliseconds, after which the exchange is given up. */
  readonly timeoutMs: number;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/**
 * Opens one TLS connection with `node:tls` and sends one HTTP/1.1 request over it. The server's
 * chain is verified and reported, never refused. Never throws for a network problem: the failure
 * is in `stop` and `error`.
 */
export function exchangeTls(options: TlsExchangeOptions): Promise<TlsExchange> {
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    let handshake = false;
    let serverEnded = false;
    let chain: Der[] = [];
    let authorized = false;
    let authorizationError: string | undefined;
    let protocol: string | undefined;
    const chunks: Buffer[] = [];
    const finish = (stop: TlsExchange['stop'], error?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve({
        connected,
        handshake,
        chain,
        authorized,
        ...(authorizationError !== undefined ? { authorizationError } : {}),
        ...(protocol !== undefined ? { protocol } : {}),
        stop,
        serverEnded,
        response: new Uint8Array(Buffer.concat(chunks)),
        ...(error !== undefined ? { error } : {}),
      });
    };
    const socket: TLSSocket = connect({
      host: options.host,
      port: options.port,
      // RFC 6066 section 3: a server name is a DNS name; "literal IPv4 and IPv6 addresses are not permitted".
      ...(isIP(options.host) === 0 ? { servername: options.host } : {}),
      ...(options.ca !== undefined ? { ca: Buffer.from(options.ca) } : {}),
      ...(options.cert !== undefined && options.key !== undefined
        ? { cert: Buffer.from(options.cert), key: Buffer.from(options.key) }
        : {}),
      // Verified and reported, not refused: callers must see an untrusted chain to describe it.
      rejectUnauthorized: false,
    });
    socket.on('connect', () => {
      connected = true;
    });
    socket.setTimeout(options.timeoutMs, () => finish('timeout', `no answer within ${options.timeoutMs} ms`));
    socket.on('secureConnect', () => {
      handshake = true;
      authorized = socket.authorized;
      if (!socket.authorized) authorizationError = String(socket.authorizationError);
      protocol = socket.getProtocol() ?? undefined;
      chain = peerChain(socket.getPeerCertificate(true));
      socket.write(request(options));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      // etcd's peer port leaves the connection open after answering, Connection: close or not.
      if (options.statusOnly ? STATUS_LINE.test(data.toString('latin1')) : isComplete(data)) finish('answered');
    });
    // Not the end of the exchange: before the handshake, Node follows it with the error that says why.
    socket.on('end', () => {
      serverEnded = true;
    });
    socket.on('close', () =>
      finish('close', handshake ? 'the server closed the connection without answering' : 'the connection closed during the handshake'),
    );
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish('error', error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message),
    );
  });
}

function request(options: TlsExchangeOptions): string {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const body = options.body ?? '';
  return (
    `${options.method} ${options.path} HTTP/1.1\r\nHost: ${host}:${options.port}\r\n` +
    `User-Agent: ${options.userAgent ?? 'etcd-pki'}\r\nAccept: application/json\r\nConnection: close\r\n` +
    (options.method === 'POST' ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
    `\r\n${body}`
  );
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

/** `data` holds all of the response (by Content-Length, or the last chunk). */
function isComplete(data: Buffer): boolean {
  const split = data.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = data.subarray(0, split).toString('latin1');
  const body = data.subarray(split + 4);
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) return body.length >= Number(length[1]);
  if (/^transfer-encoding:\s*chunked/im.test(head)) return body.includes('\r\n0\r\n\r\n') || body.subarray(0, 5).toString() === '0\r\n\r\n';
  return false;
}

/** Status and body of an HTTP/1.1 response (chunked or not), or why it is not one. */
export function parseHttpResponse(data: Uint8Array): { readonly status: number; readonly body: string } | { readonly error: string } {
  const text = Buffer.from(data).toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const status = STATUS_LINE.exec(head);
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

/**
 * `wrong version number` out of OpenSSL's `ERR_SSL_WRONG_VERSION_NUMBER: 800C...:error:0A00010B:SSL
 * routines:ssl3_get_record:wrong version number:...:file:line:`: the reason, without the codes
 * and source positions a user cannot act on. Other messages pass unchanged.
 */
export function opensslReason(error: string): string {
  return /SSL routines:[^:]*:([^:]+):/.exec(error)?.[1] ?? error;
}
