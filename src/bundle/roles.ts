import { normaliseSigningPolicy } from '../profiles/load.js';
import type { SigningProfile } from '../profiles/types.js';
import type { UsageName } from '../profiles/usages.js';
import type { CertificateRole, ClusterDescription } from './types.js';

/**
 * Usages of each role's certificates. Server certificates carry client auth too: with
 * client-cert-auth on, etcd's gRPC gateway dials the member's own client port presenting the
 * server certificate, and a server-auth-only certificate is refused there ("rejected connection").
 * Peer certificates serve and dial. Clients only dial.
 */
export const ROLE_USAGES = {
  server: ['signing', 'key encipherment', 'server auth', 'client auth'],
  peer: ['signing', 'key encipherment', 'server auth', 'client auth'],
  client: ['signing', 'key encipherment', 'client auth'],
} as const satisfies Record<CertificateRole, readonly UsageName[]>;

/**
 * One signing profile per role, as the walkthrough's ca-config.json would define them, with the
 * description's validity: issuing goes through the same policy code as `gencert -profile`.
 */
export function roleProfiles(cluster: ClusterDescription): Readonly<Record<CertificateRole, SigningProfile>> {
  const expiry = cluster.json.expiry ?? {};
  const profile = (role: CertificateRole) => {
    const text = expiry[role];
    return { ...(text !== undefined ? { expiry: text } : {}), usages: [...ROLE_USAGES[role]] };
  };
  const policy = normaliseSigningPolicy(
    { signing: { profiles: { server: profile('server'), peer: profile('peer'), client: profile('client') } } },
    cluster.file,
  );
  return { server: policy.profiles.server!, peer: policy.profiles.peer!, client: policy.profiles.client! };
}
