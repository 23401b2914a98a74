import { exchangeTls, opensslReason } from './tls-exchange.js';
import { PkiError } from '../errors.js';
import { parseEtcdUrl } from '../etcd-config/urls.js';

/** What one TLS connection to an endpoint showed. */
export interface TlsProbeResult {
  readonly url: string;
  /** The leaf certificate the endpoint served (DER), when the handshake got that far. */
  readonly served?: Uint8Array;
  /** A TCP connection was made: the endpoint is up, whatever became of the handshake. */
  readonly reached: boolean;
  /** The endpoint answered an HTTP request over the connection: it accepted our client certificate. */
  readonly accepted: boolean;
  /** Why it did not: `ECONNREFUSED`, `certificate required`, a timeout. */
  readonly error?: string;
}

export interface TlsProbeOptions {
  /** `https://127.0.0.31:2379`: an etcd client or peer URL. */
  readonly url: string;
  /** PEM client certificate and key to present; none when absent. */
  readonly certificate?: string | Uint8Array | undefined;
  readonly key?: string | Uint8Array | undefined;
  /** Default 5000. */
  readonly timeoutMs?: number;
}

/**
 * One TLS connection to an etcd endpoint and one `GET /version` over it (both ports answer it):
 * the served certificate, and whether the client certificate was accepted. The server certificate
 * is not verified: an expired or foreign one is what check-expiration and rotate-ca want to see.
 * Acceptance is judged by the HTTP answer, not the handshake: under TLS 1.3 a server refuses a
 * client certificate only after the client's handshake has completed.
 * Never throws for a network problem; the failure is in the result.
 * @throws PkiError USAGE for a URL that is not https://host:port. Not `async`: the error is thrown
 * before this probe, or a later one in the caller's `map`, opens a connection.
 */
export function probeTls(options: TlsProbeOptions): Promise<TlsProbeResult> {
  const url = parseHttpsUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 5000;
  return exchangeTls({
    ...url,
    cert: options.certificate,
    key: options.key,
    method: 'GET',
    path: '/version',
    statusOnly: true,
    timeoutMs,
  }).then((exchange) => {
    const served = exchange.chain[0];
    const accepted = exchange.stop === 'answered';
    const error =
      exchange.stop === 'close' && served
        ? 'the connection was closed without an answer (client certificate refused)'
        : exchange.error && opensslReason(exchange.error);
    return {
      url: options.url,
      reached: exchange.connected,
      ...(served ? { served } : {}),
      accepted,
      ...(!accepted && error !== undefined ? { error } : {}),
    };
  });
}

/**
 * `https://host:port` -> host (IPv6 without brackets) and port, read with etcd's URL rules
 * (etcd-config/urls.ts): the same URLs etcd and doctor accept, a port required, no path.
 */
export function parseHttpsUrl(text: string): { host: string; port: number } {
  const url = parseEtcdUrl(text);
  if (!url.ok) {
    throw new PkiError('USAGE', `${JSON.stringify(text)} ${url.reason}`, {
      hint: 'give endpoints as https://HOST:PORT, e.g. https://192.168.0.91:2379',
    });
  }
  if (url.scheme !== 'https') {
    throw new PkiError('USAGE', `${JSON.stringify(text)} is not https`, { hint: 'etcd-pki probes TLS endpoints: https://HOST:PORT' });
  }
  return { host: url.host, port: Number(url.port) };
}
