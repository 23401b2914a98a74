import { describe, expect, it } from 'vitest';
import { loadSigningPolicy } from '../../src/profiles/load.js';
import { resolveProfile } from '../../src/profiles/resolve.js';
import { fixture } from '../support/fixtures.js';
import { expectPkiErrorSync } from '../support/errors.js';

const policy = loadSigningPolicy(fixture('seed/ca-config.json'), { file: 'ca-config.json' });

describe('resolveProfile', () => {
  it.each(['server', 'client', 'peer'])('finds profile "%s"', (name) => {
    expect(resolveProfile(policy, name).name).toBe(name);
  });

  const unknown = [
    { name: 'rejects profile "pear" and suggests "peer" (cfssl falls back to the default)', profile: 'pear', hint: 'did you mean "peer"?' },
    { name: 'rejects profile "sever" and suggests "server"', profile: 'sever', hint: 'did you mean "server"?' },
    { name: 'rejects profile "Client" and suggests "client"', profile: 'Client', hint: 'did you mean "client"?' },
    {
      name: 'rejects profile "intermediate-ca" and lists the profiles',
      profile: 'intermediate-ca',
      hint: ['"server"', '"client"', '"peer"'],
    },
  ];
  it.each(unknown)('$name', ({ profile, hint }) => {
    expectPkiErrorSync(() => resolveProfile(policy, profile), {
      code: 'PROFILE_UNKNOWN',
      file: 'ca-config.json',
      path: '/signing/profiles',
      message: JSON.stringify(profile),
      hint,
    });
  });

  it("refuses the walkthrough's default profile, which has no usages, and names the profiles to choose", () => {
    expectPkiErrorSync(() => resolveProfile(policy), {
      code: 'POLICY_VIOLATION',
      file: 'ca-config.json',
      path: '/signing/default',
      message: 'no usages',
      hint: ['-profile', 'server, client, peer'],
    });
  });

  it('uses the default profile when no name is given and it has usages', () => {
    const withDefault = loadSigningPolicy(JSON.stringify({ signing: { default: { usages: ['signing'], expiry: '1h' } } }));
    expect(resolveProfile(withDefault).name).toBe('default');
    expect(resolveProfile(withDefault, '').name).toBe('default');
  });

  it('says there are no profiles to choose from when a config defines none', () => {
    const bare = loadSigningPolicy(JSON.stringify({ signing: { default: { usages: ['signing'] } } }));
    expectPkiErrorSync(() => resolveProfile(bare, 'peer'), { code: 'PROFILE_UNKNOWN', hint: 'defines no profiles' });
  });

  it('refuses a named profile without usages and says to add them', () => {
    const empty = loadSigningPolicy(JSON.stringify({ signing: { profiles: { peer: { usages: [] } } } }));
    expectPkiErrorSync(() => resolveProfile(empty, 'peer'), {
      code: 'POLICY_VIOLATION',
      path: '/signing/profiles/peer',
      hint: 'add "usages"',
    });
  });
});
