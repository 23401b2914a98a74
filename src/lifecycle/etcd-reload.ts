/**
 * What a running etcd (3.4; the same since 3.2) takes from disk without a restart, measured by
 * test/e2e/lifecycle-live.test.ts and matching etcd's pkg/transport: the certificate and key are
 * read in tls.Config.GetCertificate / GetClientCertificate, at every handshake; the trusted CA
 * pool is built once, when the listener's tls.Config is made at start.
 */
export const ETCD_RELOAD = {
  certificate: {
    restart: false,
    reason:
      'etcd reads its server and peer certificate and key files again at every new TLS handshake, on the client and the peer port (and when it dials a peer); new connections get the new certificates at once, established ones keep the old, still trusted, until they reconnect',
  },
  trustedCa: {
    restart: true,
    reason: 'etcd reads ETCD_TRUSTED_CA_FILE and ETCD_PEER_TRUSTED_CA_FILE only when it starts, not at each handshake',
  },
} as const;
