import { describe, expect, it } from 'vitest';
import { loadClusterDescription } from '../../src/bundle/load.js';
import { ROLE_USAGES, roleProfiles } from '../../src/bundle/roles.js';
import { OID } from '../../src/asn1/oids.js';
import { fixture } from '../support/fixtures.js';

describe('roleProfiles', () => {
  const profiles = roleProfiles(loadClusterDescription(fixture('cluster/kubernetes.json')));

  it('gives server and peer certificates server and client auth, clients client auth', () => {
    expect(profiles.server.extKeyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
    expect(profiles.peer.extKeyUsage).toEqual([OID.serverAuth, OID.clientAuth]);
    expect(profiles.client.extKeyUsage).toEqual([OID.clientAuth]);
    for (const role of ['server', 'peer', 'client'] as const) expect(profiles[role].usages).toEqual(ROLE_USAGES[role]);
  });

  it("takes each role's validity from the description, with cfssl's 5-minute backdate", () => {
    expect(profiles.client.expiry).toBe(2160 * 3_600_000);
    expect(profiles.server.expiry).toBe(8760 * 3_600_000);
    expect(profiles.server.backdate).toBe(5 * 60_000);
  });
});
