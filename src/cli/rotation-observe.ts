import { clientFileNames } from '../bundle/layout.js';
import { httpsUrl } from '../bundle/urls.js';
import { PkiError } from '../errors.js';
import type { EndpointObservation } from '../lifecycle/deployment.js';
import { readBundleInventory } from '../lifecycle/inventory.js';
import { rotationProbes } from '../lifecycle/rotation/status.js';
import { memberStatus } from '../net/member-status.js';
import { probeTls } from '../net/tls-probe.js';

/**
 * Probes each endpoint twice, presenting a short-lived client certificate from the rotation's new
 * CA and one from its old CA (when the bundle holds its key): what the phase checks decide on.
 * @throws PkiError INVALID_CLUSTER when the bundle has no rotation to probe for.
 */
export async function observeRotation(bundle: ReadonlyMap<string, Uint8Array>, urls: readonly string[]): Promise<EndpointObservation[]> {
  const probes = await rotationProbes({ bundle });
  const newCa = probes.newCa;
  if (!newCa) {
    throw new PkiError('INVALID_CLUSTER', 'the bundle has no CA rotation to check, or no key of its new CA', {
      hint: 'start one with etcd-pki rotate-ca -phase 1',
    });
  }
  return Promise.all(
    urls.map(async (url): Promise<EndpointObservation> => {
      const [withNew, withOld] = await Promise.all([
        probeTls({ url, certificate: newCa.certificate, key: newCa.key }),
        probes.oldCa ? probeTls({ url, certificate: probes.oldCa.certificate, key: probes.oldCa.key }) : undefined,
      ]);
      const reached = withNew.reached || (withOld?.reached ?? false);
      return {
        url,
        served: withNew.served ?? withOld?.served,
        acceptsNewCaClient: withNew.accepted,
        acceptsOldCaClient: withOld?.accepted,
        ...(reached ? {} : { error: withNew.error ?? 'unreachable' }),
      };
    }),
  );
}

/**
 * The member the live cluster reports as its leader, asked of every member's client URL with the
 * bundle's first client certificate (every phase keeps it trusted); undefined when no member
 * answered or the answers name no member of the bundle.
 */
export async function clusterLeader(bundle: ReadonlyMap<string, Uint8Array>): Promise<string | undefined> {
  const { cluster } = readBundleInventory(bundle);
  const client = cluster.clients[0];
  if (!client) return undefined;
  const files = clientFileNames(client.name);
  const certificate = bundle.get(`${client.name}/${files.certificate}`);
  const key = bundle.get(`${client.name}/${files.key}`);
  if (!certificate || !key) return undefined;
  const statuses = await Promise.all(
    cluster.members.map((m) => memberStatus({ url: httpsUrl(m.advertiseHost, m.clientPort), certificate, key })),
  );
  // A member between elections reports leader 0; any member that knows the leader will do.
  const leader = statuses.find((s) => s.leader !== undefined && s.leader !== '0')?.leader;
  const index = statuses.findIndex((s) => s.memberId !== undefined && s.memberId === leader);
  return index >= 0 ? cluster.members[index]!.name : undefined;
}
