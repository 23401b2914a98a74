/**
 * What doctor reports: one finding per check and member, each with the evidence it saw and, when
 * something is wrong, the exact fix.
 */

/** OK: checked and fine. WARN: etcd starts, but something will bite later. FAIL: etcd or its clients will fail. */
export const SEVERITIES = ['OK', 'WARN', 'FAIL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every check doctor runs, by id, with the one line `--help` and docs/doctor.md show for it. */
export const CHECKS = {
  'config.settings': 'every setting is one etcd reads, spelt and placed where etcd reads it, with a valid value',
  'files.present': 'every TLS file the configuration names exists, and certificates come with their keys',
  'files.pem': 'certificate, key and CA files are well-formed PEM of the right kind',
  'files.readable': 'the user etcd runs as can read every TLS file (and enter its directories)',
  'files.key-permissions': 'private keys are not readable or writable by others',
  'files.key-match': 'each private key belongs to its certificate',
  'trust.server': "the server certificate chains to the member's trusted CA and to each client's CA",
  'trust.peer': "the peer certificate chains to the member's peer trusted CA",
  'trust.peer-cross': "every member trusts the CA that issued the other members' peer certificates",
  'trust.client': "client certificates chain to every member's trusted CA",
  'trust.port-separation': 'the client port and the peer port trust no CA in common (a client certificate opens no peer port)',
  'trust.crl': "each CRL is there, parses, is signed by the port's CA, within nextUpdate, and spares the member's own certificate",
  'trust.crl-http-split': 'no CRL left unchecked on gRPC by listen-client-http-urls (GHSA-3wh4-j44w-pg92)',
  'roles.server': 'the server certificate has server auth (and client auth when client-cert-auth is on)',
  'roles.peer': 'the peer certificate has server auth and client auth',
  'roles.client': 'the client certificate has client auth',
  'names.server': "the server certificate names every host of the member's client URLs",
  'names.peer': "the peer certificate names every host of the member's peer URLs",
  'names.peer-source': 'the peer certificate names the address peer connections will come from',
  'time.not-yet-valid': 'no certificate starts in the future (clock skew)',
  'time.expired': 'no certificate has expired',
  'time.expiring': 'no certificate expires within the warning threshold',
  'cluster.initial-cluster-self': "the initial cluster lists the member's name with exactly its advertised peer URLs",
  'cluster.initial-cluster-names': 'each name in the initial cluster is the name of the member at that URL',
  'cluster.unknown-member-url': 'every peer URL in the initial cluster or the live member list belongs to a member',
  'cluster.initial-cluster-agree': 'members that start together list the same initial cluster',
  'cluster.url-syntax': 'every URL is scheme://host:port with no path',
  'cluster.url-scheme': 'https wherever TLS files are set, http nowhere TLS is required',
  'cluster.token': 'every member has the same initial cluster token',
  'cluster.state': 'the initial cluster state is "new" or "existing" and fits the member',
  'cluster.unique-name': 'no two members share a name',
  'cluster.unique-address': 'no two members share a peer or client address',
  'cluster.unique-peer-cert': 'no two members share a peer certificate',
  'auth.client': 'client certificate authentication is on wherever the client port uses TLS',
  'auth.peer': 'peer certificate authentication is on wherever the peer port uses TLS',
  'client.ca': "each client configuration names a CA that verifies the members' server certificates",
  'client.cert': 'each client configuration has a certificate and key when members require one',
  'client.endpoints': "each client's endpoints are members' advertised client URLs",
  'live.connect': 'the endpoint answers a TLS handshake',
  'live.chain': 'the chain the endpoint serves verifies with the given CA',
  'live.names': 'the certificate the endpoint serves names the endpoint host',
  'live.client-cert': 'the endpoint accepts our client certificate (and requires one)',
  'live.members': "the live member list matches the members' configuration",
} as const;

export type CheckId = keyof typeof CHECKS;

/** What a finding is about. */
export type SubjectKind = 'member' | 'client' | 'cluster' | 'endpoint';

/** One result of one check. */
export interface Finding {
  readonly check: CheckId;
  readonly severity: Severity;
  /** The member's label (its name, or name and file when two configurations share a name), a client's name, an endpoint URL, or `cluster`. */
  readonly member: string;
  readonly kind: SubjectKind;
  /** What doctor saw: file names, values and where they are set. */
  readonly evidence: string;
  /** What to do about it; present on every WARN and FAIL. */
  readonly fix?: string;
}

/** Where a check's findings go: the check id and subject are fixed, severity and text vary. */
export interface FindingSink {
  ok(evidence: string): void;
  warn(evidence: string, fix: string): void;
  fail(evidence: string, fix: string): void;
}

/** Collects findings for one check about one subject. */
export function findingsFor(
  out: Finding[],
  check: CheckId,
  member: string,
  kind: SubjectKind,
): FindingSink & { readonly problems: number } {
  let problems = 0;
  return {
    ok: (evidence) => void out.push({ check, severity: 'OK', member, kind, evidence }),
    warn: (evidence, fix) => {
      problems++;
      out.push({ check, severity: 'WARN', member, kind, evidence, fix });
    },
    fail: (evidence, fix) => {
      problems++;
      out.push({ check, severity: 'FAIL', member, kind, evidence, fix });
    },
    get problems() {
      return problems;
    },
  };
}

/** The worst severity among findings (`OK` for none). */
export function worstSeverity(findings: readonly Finding[]): Severity {
  if (findings.some((f) => f.severity === 'FAIL')) return 'FAIL';
  if (findings.some((f) => f.severity === 'WARN')) return 'WARN';
  return 'OK';
}
