import { exchangeTls, parseHttpResponse } from './tls-exchange.js';
import { parseHttpsUrl } from './tls-probe.js';

/** What one member said about itself and the leader (etcd's maintenance Status). */
export interface MemberStatus {
  readonly url: string;
  /** This member's ID, as etcd's JSON gives uint64s: a decimal string. */
  readonly memberId?: string;
  /** The ID of the member this one follows as leader. */
  readonly leader?: string;
  readonly error?: string;
}

export interface MemberStatusOptions {
  /** A member's client URL. */
  readonly url: string;
  /** PEM client certificate and key the cluster accepts. */
  readonly certificate: string | Uint8Array;
  readonly key: string | Uint8Array;
  /** Default 5000. */
  readonly timeoutMs?: number;
}

/**
 * `POST /v3/maintenance/status` through etcd's gRPC gateway (what `etcdctl endpoint status`
 * asks over gRPC): the member's ID and its leader's. The server certificate is not verified: only
 * the IDs are read. Never throws for a network problem or an unexpected answer.
 */
export async function memberStatus(options: MemberStatusOptions): Promise<MemberStatus> {
  const exchange = await exchangeTls({
    ...parseHttpsUrl(options.url),
    cert: options.certificate,
    key: options.key,
    method: 'POST',
    path: '/v3/maintenance/status',
    body: '{}',
    timeoutMs: options.timeoutMs ?? 5000,
  });
  if (exchange.stop !== 'answered') return { url: options.url, error: exchange.error ?? exchange.stop };
  const response = parseHttpResponse(exchange.response);
  if ('error' in response) return { url: options.url, error: response.error };
  if (response.status !== 200) return { url: options.url, error: `HTTP ${response.status}: ${response.body.slice(0, 200)}` };
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    return { url: options.url, error: 'the answer is not JSON' };
  }
  const header = (json as { header?: { member_id?: unknown } }).header;
  const leader = (json as { leader?: unknown }).leader;
  if (typeof header?.member_id !== 'string' || typeof leader !== 'string')
    return { url: options.url, error: 'no member_id and leader in the answer' };
  return { url: options.url, memberId: header.member_id, leader };
}
