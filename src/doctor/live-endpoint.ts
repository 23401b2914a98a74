/*
 * What doctor knows of a live endpoint: data only, gathered by the CLI through net/endpoint-probe.ts
 * and passed in, so that the checks run without a network.
 */

import type { Der } from '../pem/pem.js';

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
