import { expandTemplate, nodePath } from '../bundle/layout.js';
import type { ClusterDescription } from '../bundle/types.js';
import { httpsUrl } from '../bundle/urls.js';

/** Stands for the bundle directory in step commands; renderSteps puts the real one in. */
export const OUT_PLACEHOLDER = '{out}';

/** One file to put on a node: from the bundle to its path there. */
export interface FileCopy {
  /** Path in the bundle (`etcd1/etcd1.pem`). */
  readonly from: string;
  /** Path on the node (`/etc/etcd/pki/etcd1.pem`). */
  readonly to: string;
  /** A private key: install it 0600, owned by etcd's user. */
  readonly secret: boolean;
}

/** What the operator does after a lifecycle command, in order. */
export type LifecycleStep =
  | {
      readonly kind: 'copy';
      readonly ownerKind: 'member' | 'client';
      readonly owner: string;
      /** The member's advertised host; undefined for a client (its node is not in the description). */
      readonly host: string | undefined;
      /** Keys first: a certificate must never be in place before its key. */
      readonly files: readonly FileCopy[];
    }
  | {
      /** Restart these members one at a time, in this order, waiting for a healthy cluster in between. */
      readonly kind: 'rolling-restart';
      readonly members: readonly { readonly name: string; readonly host: string }[];
      readonly reason: string;
      /** The leader as the cluster reported it (last in `members`); undefined when not asked. */
      readonly leader?: string;
    }
  | { readonly kind: 'no-restart'; readonly reason: string }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'next'; readonly text: string; readonly command?: string };

/** A copy step for the given files of a member's or client's directory (bundle paths `owner/file`). */
export function copyStep(
  cluster: ClusterDescription,
  owner: string,
  paths: readonly string[],
  secret: (path: string) => boolean,
): LifecycleStep {
  const member = cluster.members.find((m) => m.name === owner);
  const pkiDir = expandTemplate(cluster.pkiDir, owner);
  const files = paths
    .map((from) => ({ from, to: nodePath(pkiDir, from.slice(from.indexOf('/') + 1)), secret: secret(from) }))
    .sort((a, b) => Number(b.secret) - Number(a.secret));
  return { kind: 'copy', ownerKind: member ? 'member' : 'client', owner, host: member?.advertiseHost, files };
}

/**
 * Each member's advertised client and peer URL, as `-endpoint` takes them: what a phase is checked
 * against on the live cluster.
 */
export function memberEndpoints(cluster: ClusterDescription): string[] {
  return cluster.members.flatMap((m) => [httpsUrl(m.advertiseHost, m.clientPort), httpsUrl(m.advertiseHost, m.peerPort)]);
}

/**
 * Every member for a rolling restart: in the description's order, the `leader` (as the live
 * cluster reported it) last, so the cluster elects a new leader once, not at every restart.
 */
export function rollingRestart(cluster: ClusterDescription, reason: string, leader?: string): LifecycleStep {
  const members = cluster.members.map((m) => ({ name: m.name, host: m.advertiseHost }));
  const known = leader !== undefined && members.some((m) => m.name === leader);
  const ordered = known ? [...members.filter((m) => m.name !== leader), ...members.filter((m) => m.name === leader)] : members;
  return { kind: 'rolling-restart', members: ordered, reason, ...(known ? { leader } : {}) };
}

/**
 * The steps as numbered text for the terminal: paths in the bundle under `out`, each restart
 * with the health check to wait for.
 */
export function renderSteps(steps: readonly LifecycleStep[], out: string): string {
  const lines: string[] = [];
  const at = (path: string) => `${out.replace(/\/+$/, '')}/${path}`;
  steps.forEach((step, index) => {
    const n = `${index + 1}.`;
    switch (step.kind) {
      case 'copy': {
        const where = step.host ? `${step.ownerKind} ${step.owner} (${step.host})` : `the node of ${step.ownerKind} ${step.owner}`;
        // install.sh switches a key and its certificate together; copying them one by one leaves
        // a moment where etcd would pair a new key with the old certificate at a handshake.
        const dir = step.files[0]!.from.slice(0, step.files[0]!.from.indexOf('/') + 1);
        lines.push(`${n} copy ${at(dir)} to ${where} and run its install.sh there as root; it installs:`);
        for (const file of step.files) lines.push(`     ${at(file.from)} -> ${file.to}`);
        break;
      }
      case 'rolling-restart':
        lines.push(`${n} restart the members one at a time (${step.reason}):`);
        if (step.leader !== undefined) {
          lines.push(`     ${step.members.map((m) => `${m.name} (${m.host})`).join(', then ')}`);
          lines.push(
            `     ${step.leader} is the leader now (the cluster said so): it goes last; if the leader has changed by then, restart the new one last instead`,
          );
        } else {
          lines.push(`     ${step.members.map((m) => `${m.name} (${m.host})`).join(', ')}, with the leader last:`);
          lines.push(
            '     find it first with etcdctl endpoint status --cluster -w table (IS LEADER), or run this with -verify to have it ordered',
          );
        }
        lines.push('     before each: etcdctl endpoint health --cluster must report every member healthy;');
        lines.push('     before the leader: etcdctl move-leader to a restarted member, so that the cluster elects once');
        break;
      case 'no-restart':
        lines.push(`${n} no restart: ${step.reason}`);
        break;
      case 'note':
        lines.push(`${n} ${step.text}`);
        break;
      case 'next':
        lines.push(`${n} ${step.text}${step.command ? `:\n     ${step.command.replaceAll(OUT_PLACEHOLDER, out)}` : ''}`);
        break;
    }
  });
  return lines.join('\n') + '\n';
}
