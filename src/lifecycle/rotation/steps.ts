import type { PlannedFile } from '../../fileset.js';
import type { ClusterDescription } from '../../bundle/types.js';
import { ETCD_RELOAD } from '../etcd-reload.js';
import type { RotationPhase, RotationState } from '../../bundle/rotation-state.js';
import { OUT_PLACEHOLDER, copyStep, rollingRestart, type LifecycleStep } from '../steps.js';

export interface RotationStepsOptions {
  readonly phase: RotationPhase;
  readonly cluster: ClusterDescription;
  /** The phase's files (without manifest.json and rotation.json). */
  readonly files: readonly PlannedFile[];
  readonly state: RotationState;
  /** The leader's name, as the live cluster reported it: restarted last. */
  readonly leader?: string | undefined;
}

/** What to copy where after a phase, and which restarts it needs, in order. */
export function rotationSteps(options: RotationStepsOptions): LifecycleStep[] {
  const { phase, cluster, files } = options;
  const owners = [...cluster.members.map((m) => m.name), ...cluster.clients.map((c) => c.name)];
  const secret = (path: string) => files.some((f) => f.path === path && f.secret);
  const copies = owners.flatMap((owner) => {
    const paths = files.filter((f) => f.path.startsWith(`${owner}/`)).map((f) => f.path);
    return paths.length > 0 ? [copyStep(cluster, owner, paths, secret)] : [];
  });
  const verify = `etcd-pki rotate-ca status -out ${OUT_PLACEHOLDER} -verify`;
  switch (phase) {
    case 1:
      return [
        ...copies,
        rollingRestart(
          cluster,
          `${ETCD_RELOAD.trustedCa.reason}; until restarted, a member refuses certificates from the new CA`,
          options.leader,
        ),
        {
          kind: 'note',
          text: "clients: etcdctl reads ca.pem at every run; restart long-running clients (kube-apiserver and other programs on etcd's client library read the CA file only at start) so that they trust the new CA before phase 2",
        },
        {
          kind: 'next',
          text: 'once every member has been restarted, phase 2 (it first checks that each member accepts a client certificate from the new CA)',
          command: `etcd-pki rotate-ca -phase 2 -out ${OUT_PLACEHOLDER} -verify`,
        },
      ];
    case 2:
      return [
        ...copies,
        { kind: 'no-restart', reason: `${ETCD_RELOAD.certificate.reason}; the old CA is still trusted meanwhile` },
        {
          kind: 'note',
          text: "clients: etcdctl reads its certificate at every run, programs on etcd's client library at every new connection; restart any other long-running client",
        },
        {
          kind: 'next',
          text: 'once the files are in place, phase 3 (it first checks that each member serves a certificate from the new CA)',
          command: `etcd-pki rotate-ca -phase 3 -out ${OUT_PLACEHOLDER} -verify`,
        },
      ];
    case 3:
      return [
        ...copies,
        rollingRestart(
          cluster,
          `${ETCD_RELOAD.trustedCa.reason}; until restarted, a member still accepts certificates from the old CA`,
          options.leader,
        ),
        { kind: 'note', text: 'clients: restart long-running clients so that they stop trusting the old CA' },
        {
          kind: 'note',
          text: `the old CA and its key are archived as ${options.state.retired?.certificate ?? '(not archived)'}${options.state.retired?.key ? ` and ${options.state.retired.key}` : ''}; nothing trusts them any more: move the key offline, or destroy it deliberately`,
        },
        {
          kind: 'next',
          text: 'check that only the new CA is accepted (a client certificate from the old CA is refused everywhere)',
          command: verify,
        },
      ];
  }
}
