import { checkEndpoints } from './checks/endpoint.js';
import { checkClientCa, checkClientCert, checkClientEndpoints } from './checks/clients.js';
import { checkFilesPem, checkFilesPresent, checkFilesReadable, checkKeyMatch, checkKeyPermissions } from './checks/files.js';
import {
  checkInitialClusterAgree,
  checkInitialClusterNames,
  checkInitialClusterSelf,
  checkState,
  checkToken,
  checkUnknownMemberUrl,
} from './checks/initial-cluster.js';
import { checkNamesPeer, checkNamesPeerSource, checkNamesServer } from './checks/names.js';
import { checkRolesClient, checkRolesPeer, checkRolesServer } from './checks/roles.js';
import { checkExpired, checkExpiring, checkNotYetValid } from './checks/time.js';
import { checkAuthClient, checkAuthPeer, checkSettings, checkUrlScheme, checkUrlSyntax } from './checks/transport.js';
import { checkTrustClient, checkTrustPeer, checkTrustPeerCross, checkTrustServer } from './checks/trust.js';
import { checkCrlHttpSplit, checkTrustCrl, checkTrustPortSeparation } from './checks/revocation.js';
import { checkUniqueAddress, checkUniqueName, checkUniquePeerCert } from './checks/uniqueness.js';
import type { Check, CheckContext } from './context.js';
import type { EndpointProbe } from './live-endpoint.js';
import { worstSeverity, type Finding, type Severity } from './findings.js';
import type { DeployedClient, DeployedMember, RunAsUser } from '../etcd-config/model.js';

/** Every check, in report order: the configuration, files, trust, roles, names, time, cluster, clients, live. */
export const ALL_CHECKS: readonly Check[] = [
  checkSettings,
  checkFilesPresent,
  checkFilesPem,
  checkFilesReadable,
  checkKeyPermissions,
  checkKeyMatch,
  checkTrustServer,
  checkTrustPeer,
  checkTrustPeerCross,
  checkTrustClient,
  checkTrustPortSeparation,
  checkTrustCrl,
  checkCrlHttpSplit,
  checkRolesServer,
  checkRolesPeer,
  checkRolesClient,
  checkNamesServer,
  checkNamesPeer,
  checkNamesPeerSource,
  checkNotYetValid,
  checkExpired,
  checkExpiring,
  checkUrlSyntax,
  checkUrlScheme,
  checkAuthClient,
  checkAuthPeer,
  checkInitialClusterSelf,
  checkInitialClusterNames,
  checkUnknownMemberUrl,
  checkInitialClusterAgree,
  checkToken,
  checkState,
  checkUniqueName,
  checkUniqueAddress,
  checkUniquePeerCert,
  checkClientCa,
  checkClientCert,
  checkClientEndpoints,
  checkEndpoints,
];

export interface DoctorOptions {
  /** The members as deployed (parsed configuration plus the files it names). */
  readonly members: readonly DeployedMember[];
  /** etcdctl configurations (a bundle's `<client>.env`, or `-conf` with `ETCDCTL_*`); default none. */
  readonly clients?: readonly DeployedClient[];
  /** What live endpoints served (probeEndpoint); default none. */
  readonly endpoints?: readonly EndpointProbe[];
  /** The user etcd runs as; when absent, readability is not checked and `accessNote` says why. */
  readonly user?: RunAsUser | undefined;
  /** Why readability is not checked; default "no user given". */
  readonly accessNote?: string;
  /** uid/gid -> names, for messages (`root:root` rather than `0:0`). */
  readonly accountNames?: { readonly users: ReadonlyMap<number, string>; readonly groups: ReadonlyMap<number, string> };
  /** Certificates expiring within this many days are a WARN; default 30. */
  readonly warnDays?: number;
  /** The time certificates are checked at; default now. */
  readonly now?: Date;
  /**
   * The members given are the whole cluster, so an initial-cluster URL that is none of theirs is
   * wrong. Default: true when more than one member is given and at least as many as the longest
   * initial cluster lists (so two of three members' files are not taken for the whole cluster).
   */
  readonly complete?: boolean;
}

/** The result: every finding, in check order, and counts. */
export interface DoctorReport {
  readonly findings: readonly Finding[];
  /** Member labels, client names and endpoint URLs, in the order given. */
  readonly subjects: readonly string[];
  readonly summary: Readonly<Record<Severity, number>>;
  /** The worst severity found: FAIL makes the CLI exit non-zero. */
  readonly status: Severity;
  readonly checkedAt: string;
}

/** Default warning threshold for expiring certificates, in days. */
export const DEFAULT_WARN_DAYS = 30;

/**
 * Runs every check over the members, clients and endpoints given, and returns the findings. Reads
 * no file and opens no connection: the caller passes the files' bytes and stat data and the
 * endpoint probes.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const now = options.now ?? new Date();
  const context: CheckContext = {
    members: options.members,
    clients: options.clients ?? [],
    endpoints: options.endpoints ?? [],
    now,
    warnWithinMs: (options.warnDays ?? DEFAULT_WARN_DAYS) * 86_400_000,
    user: options.user,
    accessNote: options.accessNote ?? 'no user given to check against (-user)',
    accountNames: options.accountNames,
    complete:
      options.complete ??
      (options.members.length > 1 && options.members.length >= Math.max(0, ...options.members.map((m) => m.initialCluster.length))),
  };
  const findings: Finding[] = [];
  for (const check of ALL_CHECKS) findings.push(...(await check(context)));
  const summary = { OK: 0, WARN: 0, FAIL: 0 };
  for (const finding of findings) summary[finding.severity]++;
  return {
    findings,
    subjects: [...context.members.map((m) => m.label), ...context.clients.map((c) => c.label), ...context.endpoints.map((e) => e.url)],
    summary,
    status: worstSeverity(findings),
    checkedAt: now.toISOString(),
  };
}
