import type { PkiCrypto } from '../crypto.js';
import { generateKeyPair } from '../keys/generate.js';
import { encodePrivateKey } from '../keys/write.js';
import { PEM_LABELS, encodePem, type Pem } from '../pem/pem.js';
import { normaliseSigningPolicy } from '../profiles/load.js';
import type { CertificateAuthority } from '../signing/authority.js';
import { issueCertificate } from '../signing/issue.js';
import { subjectFromSpec } from '../signing/operations.js';
import { EMPTY_SANS } from '../x509/hosts.js';
import { ipToBytes } from '../x509/ip.js';
import { isSignedBy, parseCertificate, type ParsedCertificate } from '../x509/parse.js';
import { ROLE_USAGES } from '../bundle/roles.js';
import { canonicalIp } from '../bundle/rules.js';
import type { ClusterDescription, Member } from '../bundle/types.js';
import { certificateFacts } from '../bundle/certificate-facts.js';
import type { RotationPhase } from '../bundle/rotation-state.js';

/**
 * What one live endpoint showed, probed by the caller (the CLI) with a client certificate from
 * each CA: the data the phase checks decide on.
 */
export interface EndpointObservation {
  /** `https://127.0.0.31:2379`: a member's client or peer URL. */
  readonly url: string;
  /** The leaf certificate the endpoint served (DER), when a handshake got that far. */
  readonly served?: Uint8Array | undefined;
  /** A request presenting a client certificate from the new CA was answered. */
  readonly acceptsNewCaClient?: boolean | undefined;
  /** The same with the old CA; undefined when not tried (the bundle holds no old CA key). */
  readonly acceptsOldCaClient?: boolean | undefined;
  /** Why the endpoint could not be reached at all. */
  readonly error?: string | undefined;
}

/** One thing checked at an endpoint, or one port nobody probed. */
export interface DeploymentFinding {
  readonly ok: boolean;
  readonly member?: string;
  readonly url?: string;
  readonly text: string;
}

/** Whether a phase is in place on the live cluster. */
export interface DeploymentAssessment {
  readonly phase: RotationPhase;
  readonly deployed: boolean;
  readonly findings: readonly DeploymentFinding[];
}

export interface AssessDeploymentOptions {
  /** The phase whose deployment is checked. */
  readonly phase: RotationPhase;
  readonly cluster: ClusterDescription;
  readonly observations: readonly EndpointObservation[];
  readonly newCa: ParsedCertificate;
}

/** What each phase looks like on a member's port once it is in place (and its members restarted where needed). */
export const PHASE_EXPECTATIONS = {
  1: 'accepts a client certificate from the new CA (the member was restarted with the two-CA trust file)',
  2: 'serves a certificate from the new CA',
  3: 'refuses a client certificate from the old CA (the member was restarted with the new-CA-only trust file)',
} as const satisfies Record<RotationPhase, string>;

/**
 * Decides whether `phase` is deployed from live observations: every member's client and peer port
 * must have been probed, and each must show what the phase leads to (PHASE_EXPECTATIONS; later
 * phases include the earlier ones). etcd 3.4 reads its trusted CA file only when it starts, so
 * phases 1 and 3 show only after a restart; it reads its certificate at every handshake, so
 * phase 2 shows as soon as the files are in place.
 */
export async function assessDeployment(options: AssessDeploymentOptions): Promise<DeploymentAssessment> {
  const { phase, cluster, newCa } = options;
  const findings: DeploymentFinding[] = [];
  for (const member of cluster.members) {
    for (const [port, kind] of [
      [member.clientPort, 'client'],
      [member.peerPort, 'peer'],
    ] as const) {
      const seen = options.observations.filter((o) => urlIsMembers(o.url, member, port));
      if (seen.length === 0) {
        findings.push({ ok: false, member: member.name, text: `${member.name}'s ${kind} port (${port}) was not probed` });
      }
      for (const observation of seen) findings.push(await judge(observation, member.name, phase, newCa));
    }
  }
  for (const observation of options.observations) {
    if (!cluster.members.some((m) => urlIsMembers(observation.url, m, m.clientPort) || urlIsMembers(observation.url, m, m.peerPort))) {
      findings.push({
        ok: true,
        url: observation.url,
        text: `${observation.url} is no member's advertised client or peer URL; not counted`,
      });
    }
  }
  return { phase, deployed: findings.every((f) => f.ok), findings };
}

async function judge(
  observation: EndpointObservation,
  member: string,
  phase: RotationPhase,
  newCa: ParsedCertificate,
): Promise<DeploymentFinding> {
  const at = { member, url: observation.url };
  if (observation.error !== undefined) return { ...at, ok: false, text: `${observation.url} could not be reached: ${observation.error}` };
  if (observation.acceptsNewCaClient !== true) {
    return {
      ...at,
      ok: false,
      text: `${observation.url} refuses a client certificate from the new CA: restart ${member} (etcd reads its trusted CA file only when it starts)`,
    };
  }
  if (phase >= 2) {
    const served = observation.served ? parseCertificate(observation.served, observation.url) : undefined;
    if (!served || !(await issuedBy(served, newCa))) {
      const by = served ? `"${certificateFacts(served).issuerCommonName}"` : 'nothing';
      return {
        ...at,
        ok: false,
        text: `${observation.url} serves a certificate issued by ${by}, not by the new CA: copy ${member}'s phase 2 certificates to it`,
      };
    }
  }
  if (phase === 3) {
    if (observation.acceptsOldCaClient === true) {
      return {
        ...at,
        ok: false,
        text: `${observation.url} still accepts a client certificate from the old CA: restart ${member} (etcd keeps the trusted CAs it read at start)`,
      };
    }
    if (observation.acceptsOldCaClient === undefined) {
      return {
        ...at,
        ok: true,
        text: `${observation.url}: ${PHASE_EXPECTATIONS[2]} (not tried with the old CA: its key is not in the bundle)`,
      };
    }
  }
  return { ...at, ok: true, text: `${observation.url} ${PHASE_EXPECTATIONS[phase]}` };
}

async function issuedBy(certificate: ParsedCertificate, ca: ParsedCertificate): Promise<boolean> {
  return Buffer.from(certificate.issuer).equals(Buffer.from(ca.subject)) && (await isSignedBy(certificate, ca));
}

/** The URL names one of the member's hosts and this port. */
function urlIsMembers(text: string, member: Member, port: number): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (Number(url.port || 443) !== port) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipToBytes(host)) return member.ips.includes(canonicalIp(host));
  return member.dnsNames.some((name) => name.toLowerCase() === host.toLowerCase());
}

/** A client certificate for probing, never written: its PEM and key. */
export interface ProbeCredential {
  readonly certificate: Pem;
  readonly key: Pem;
}

/** How long a probe certificate is valid: long enough for a slow run, short enough to be worthless if leaked. */
export const PROBE_VALIDITY_MS = 60 * 60_000;

/** Common name of probe certificates, as members log it when they refuse one. */
export const PROBE_COMMON_NAME = 'etcd-pki-probe';

/**
 * A short-lived client certificate from `ca` (one hour, client auth, no SANs) to learn whether a
 * member trusts that CA: a member accepts it exactly when the CA is in the trust file it read.
 */
export async function probeCredential(ca: CertificateAuthority, now: Date, crypto: PkiCrypto): Promise<ProbeCredential> {
  const key = await generateKeyPair({ algo: 'ecdsa', size: 256 });
  const policy = normaliseSigningPolicy({ signing: { default: { usages: [...ROLE_USAGES.client] } } }, undefined);
  const der = await issueCertificate({
    subject: subjectFromSpec({ subject: { commonName: PROBE_COMMON_NAME }, hosts: [], sans: EMPTY_SANS, key: key.spec }, key),
    ca,
    profile: { ...policy.defaultProfile, expiry: PROBE_VALIDITY_MS },
    now,
    crypto,
  });
  return { certificate: encodePem(PEM_LABELS.certificate, der), key: encodePrivateKey(key, 'portable') };
}
