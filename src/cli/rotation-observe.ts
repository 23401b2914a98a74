import type { EndpointObservation } from '../lifecycle/deployment.js';
import { PkiError } from '../errors.js';

/**
 * Probes each endpoint twice, presenting a short-lived client certificate from the rotation's new
 * CA and one from its old CA (when the bundle holds its key): what the phase checks decide on.
 * @throws PkiError INVALID_CLUSTER when the bundle has no rotation to probe for.
 */
export async function observeRotation(bundle: ReadonlyMap<string, Uint8Array>, urls: readonly string[]): Promise<EndpointObservation[]> {
  const [{ rotationProbes }, { probeTls }] = await Promise.all([import('../lifecycle/rotation/status.js'), import('../net/tls-probe.js')]);
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
