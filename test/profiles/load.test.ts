import { describe, expect, it } from 'vitest';
import { defaultSigningPolicy, loadSigningPolicy } from '../../src/profiles/load.js';
import { EXT_KEY_USAGE_OIDS, KEY_USAGE_BITS, USAGE_NAMES, type UsageName } from '../../src/profiles/usages.js';
import { OID } from '../../src/asn1/oids.js';
import { fixture, fixtureNames } from '../support/fixtures.js';
import { expectPkiErrorSync, type InvalidFileCase } from '../support/errors.js';

const HOUR = 3_600_000;
const SEED = fixture('seed/ca-config.json');
const withProfile = (profile: object) => JSON.stringify({ signing: { profiles: { p: profile } } });

describe("loadSigningPolicy on the walkthrough's ca-config.json", () => {
  const policy = loadSigningPolicy(SEED, { file: 'ca-config.json' });

  it('keeps the file name for later messages', () => {
    expect(policy.file).toBe('ca-config.json');
  });

  it('reads the default profile: 168h and no usages', () => {
    expect(policy.defaultProfile).toMatchObject({ name: 'default', path: '/signing/default', expiry: 168 * HOUR, usages: [] });
  });

  const profiles = [
    { name: 'reads "server": signing, key encipherment, server auth for 8760h', profile: 'server', eku: [OID.serverAuth] },
    { name: 'reads "client": signing, key encipherment, client auth for 8760h', profile: 'client', eku: [OID.clientAuth] },
    { name: 'reads "peer": server auth then client auth, in the profile order', profile: 'peer', eku: [OID.serverAuth, OID.clientAuth] },
  ];
  it.each(profiles)('$name', ({ profile, eku }) => {
    expect(policy.profiles[profile]).toMatchObject({
      name: profile,
      path: `/signing/profiles/${profile}`,
      expiry: 8760 * HOUR,
      // cfssl: "signing" is the digitalSignature bit; 0b101 = digitalSignature | keyEncipherment.
      keyUsage: 0b101,
      extKeyUsage: eku,
      backdate: 5 * 60_000,
      issuerUrls: [],
    });
    expect(policy.profiles[profile]!.caConstraint).toBeUndefined();
  });

  it('has exactly the three profiles of the walkthrough', () => {
    expect(Object.keys(policy.profiles)).toEqual(['server', 'client', 'peer']);
  });
});

describe('usages', () => {
  const expected: Record<UsageName, number | string> = {
    signing: 1 << 0,
    'digital signature': 1 << 0,
    'content commitment': 1 << 1,
    'key encipherment': 1 << 2,
    'data encipherment': 1 << 3,
    'key agreement': 1 << 4,
    'cert sign': 1 << 5,
    'crl sign': 1 << 6,
    'encipher only': 1 << 7,
    'decipher only': 1 << 8,
    any: '2.5.29.37.0',
    'server auth': '1.3.6.1.5.5.7.3.1',
    'client auth': '1.3.6.1.5.5.7.3.2',
    'code signing': '1.3.6.1.5.5.7.3.3',
    'email protection': '1.3.6.1.5.5.7.3.4',
    's/mime': '1.3.6.1.5.5.7.3.4',
    'ipsec end system': '1.3.6.1.5.5.7.3.5',
    'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
    'ipsec user': '1.3.6.1.5.5.7.3.7',
    timestamping: '1.3.6.1.5.5.7.3.8',
    'ocsp signing': '1.3.6.1.5.5.7.3.9',
    'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
    'netscape sgc': '2.16.840.1.113730.4.1',
  };

  it("knows exactly cfssl's 23 usage names", () => {
    expect([...USAGE_NAMES].sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(KEY_USAGE_BITS).length + Object.keys(EXT_KEY_USAGE_OIDS).length).toBe(23);
  });

  it.each(Object.entries(expected).map(([usage, value]) => ({ usage, value })))('maps "$usage" to $value', ({ usage, value }) => {
    const profile = loadSigningPolicy(withProfile({ usages: [usage] })).profiles.p!;
    if (typeof value === 'number') expect([profile.keyUsage, profile.extKeyUsage]).toEqual([value, []]);
    else expect([profile.keyUsage, profile.extKeyUsage]).toEqual([0, [value]]);
  });

  it('writes an EKU OID again when two names mean it ("email protection", "s/mime"), as cfssl 1.6.5 does', () => {
    const profile = loadSigningPolicy(withProfile({ usages: ['s/mime', 'client auth', 'email protection'] })).profiles.p!;
    expect(profile.extKeyUsage).toEqual([OID.emailProtection, OID.clientAuth, OID.emailProtection]);
  });
});

describe('profile options', () => {
  it('reads ca_constraint, backdate, not_before, not_after, name_whitelist, URLs and auth keys', () => {
    const policy = loadSigningPolicy(
      JSON.stringify({
        $schema: 'https://etcd-pki.github.io/schemas/ca-config.schema.json',
        signing: {
          profiles: {
            intermediate: {
              usages: ['cert sign', 'crl sign'],
              expiry: '43800h',
              backdate: '1h',
              ca_constraint: { is_ca: true, max_path_len: 1 },
              crl_url: 'http://pki.example/crl',
              ocsp_url: 'http://pki.example/ocsp',
              issuer_urls: ['http://pki.example/ca.pem'],
              name_whitelist: '^etcd[0-9]+$',
              not_before: '2027-01-01T00:00:00Z',
              not_after: '2028-01-01T00:00:00+01:00',
              auth_key: 'primary',
            },
          },
        },
        auth_keys: { primary: { type: 'standard', key: '0123456789ABCDEF0123456789ABCDEF' } },
        remotes: { ca: '127.0.0.1:8888' },
      }),
    );
    const profile = policy.profiles.intermediate!;
    expect(profile).toMatchObject({
      keyUsage: (1 << 5) | (1 << 6),
      expiry: 43800 * HOUR,
      backdate: HOUR,
      caConstraint: { isCA: true, maxPathLen: 1, maxPathLenZero: false },
      crlUrl: 'http://pki.example/crl',
      ocspUrl: 'http://pki.example/ocsp',
      issuerUrls: ['http://pki.example/ca.pem'],
      authKey: 'primary',
    });
    expect(profile.notBefore?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(profile.notAfter?.toISOString()).toBe('2027-12-31T23:00:00.000Z');
    expect(profile.nameWhitelist?.test('etcd12')).toBe(true);
    expect(profile.nameWhitelist?.test('evil.example')).toBe(false);
    expect(policy.authKeys.primary).toEqual({ type: 'standard', key: '0123456789ABCDEF0123456789ABCDEF' });
    expect(policy.remotes).toEqual({ ca: '127.0.0.1:8888' });
  });

  it("gives a profile without expiry the default profile's expiry, as cfssl does", () => {
    const policy = loadSigningPolicy(
      JSON.stringify({ signing: { default: { expiry: '720h' }, profiles: { p: { usages: ['signing'] } } } }),
    );
    expect(policy.profiles.p!.expiry).toBe(720 * HOUR);
  });

  it("gives every profile cfssl's one year when nothing sets an expiry", () => {
    expect(loadSigningPolicy(withProfile({ usages: ['signing'] })).profiles.p!.expiry).toBe(8760 * HOUR);
  });

  it('treats backdate "0s" as cfssl does: the 5-minute default', () => {
    expect(loadSigningPolicy(withProfile({ usages: ['signing'], backdate: '0s' })).profiles.p!.backdate).toBe(5 * 60_000);
  });

  it('turns max_path_len_zero into an explicit zero path length constraint', () => {
    const profile = loadSigningPolicy(withProfile({ usages: ['cert sign'], ca_constraint: { is_ca: true, max_path_len_zero: true } }))
      .profiles.p!;
    expect(profile.caConstraint).toEqual({ isCA: true, maxPathLen: 0, maxPathLenZero: true });
  });

  it('ignores a ca_constraint with is_ca false', () => {
    expect(
      loadSigningPolicy(withProfile({ usages: ['signing'], ca_constraint: { is_ca: false, max_path_len: 2 } })).profiles.p!.caConstraint,
    ).toBeUndefined();
  });

  it("is cfssl's default policy without a config: one year, signing, key encipherment, server and client auth", () => {
    expect(defaultSigningPolicy().defaultProfile).toMatchObject({
      expiry: 8760 * HOUR,
      keyUsage: 0b101,
      extKeyUsage: [OID.serverAuth, OID.clientAuth],
    });
  });
});

const INVALID: InvalidFileCase[] = [
  {
    name: 'rejects usage "sever auth" and suggests "server auth"',
    file: 'usage-typo-sever-auth.json',
    code: 'UNKNOWN_USAGE',
    path: '/signing/profiles/peer/usages/2',
    message: 'unknown usage "sever auth"',
    hint: 'did you mean "server auth"',
  },
  {
    name: 'rejects usage "client-auth" and suggests "client auth"',
    file: 'usage-typo-client-dash-auth.json',
    code: 'UNKNOWN_USAGE',
    path: '/signing/profiles/client/usages/2',
    hint: 'did you mean "client auth"',
  },
  {
    name: 'rejects usage "tls" and lists the accepted usages (cfssl drops it silently)',
    file: 'usage-unknown-tls.json',
    code: 'UNKNOWN_USAGE',
    path: '/signing/profiles/server/usages/2',
    hint: ['accepted values', '"server auth"', '"netscape sgc"'],
  },
  {
    name: 'rejects usages written as a string',
    file: 'usages-not-an-array.json',
    code: 'INVALID_JSON',
    path: '/signing/profiles/server/usages',
    message: 'must be an array, not a string',
  },
  {
    name: "rejects expiry '365d' and suggests '8760h'",
    file: 'expiry-365d.json',
    code: 'INVALID_DURATION',
    path: '/signing/profiles/server/expiry',
    message: '"365d"',
    hint: ['no "d" unit', '"8760h"'],
  },
  {
    name: "rejects expiry '1y' and suggests '8760h'",
    file: 'expiry-1y.json',
    code: 'INVALID_DURATION',
    path: '/signing/profiles/peer/expiry',
    hint: '"8760h"',
  },
  {
    name: "rejects default expiry '2w' and suggests '336h'",
    file: 'default-expiry-2w.json',
    code: 'INVALID_DURATION',
    path: '/signing/default/expiry',
    hint: '"336h"',
  },
  {
    name: 'rejects expiry written as a number of hours',
    file: 'expiry-number.json',
    code: 'INVALID_JSON',
    path: '/signing/profiles/client/expiry',
    message: 'must be a string, not a number (8760)',
  },
  {
    name: "rejects expiry '0h', a certificate that is never valid",
    file: 'expiry-zero.json',
    code: 'INVALID_DURATION',
    path: '/signing/profiles/client/expiry',
    message: 'is zero',
  },
  {
    name: "rejects backdate '5 minutes' and names Go's units",
    file: 'backdate-5-minutes.json',
    code: 'INVALID_DURATION',
    path: '/signing/profiles/server/backdate',
    hint: 'units h, m, s',
  },
  {
    name: 'rejects unknown key "expires" and suggests "expiry" (cfssl ignores it)',
    file: 'unknown-key-expires.json',
    code: 'INVALID_JSON',
    path: '/signing/profiles/server/expires',
    message: 'unknown key "expires"',
    hint: 'did you mean "expiry"',
  },
  {
    name: 'rejects a misspelt "signing" and says which key to rename',
    file: 'unknown-key-sigining.json',
    code: 'INVALID_JSON',
    path: '',
    message: 'missing required key "signing"',
    hint: 'rename "sigining" to "signing"',
  },
  {
    name: 'rejects a duplicate "expiry" and names its path',
    file: 'duplicate-key.json',
    code: 'INVALID_JSON',
    path: '/signing/profiles/server/expiry',
    message: 'duplicate key "expiry"',
    hint: 'keep only one',
  },
  {
    name: 'rejects a byte order mark',
    file: 'bom.json',
    code: 'INVALID_JSON',
    message: 'byte order mark',
    hint: 'without BOM',
  },
  {
    name: 'rejects a trailing comma with its line and column',
    file: 'trailing-comma.json',
    code: 'INVALID_JSON',
    message: 'line 31, column 13',
    hint: 'no trailing comma',
  },
  {
    name: 'rejects a truncated file and says it may be truncated',
    file: 'truncated.json',
    code: 'INVALID_JSON',
    message: 'is it truncated?',
  },
  {
    name: 'rejects copy_extensions, which etcd-pki does not implement',
    file: 'unsupported-copy-extensions.json',
    code: 'UNSUPPORTED',
    path: '/signing/profiles/peer/copy_extensions',
    hint: 'remove it',
  },
  {
    name: "rejects not_before '2027-01-01' and shows the RFC 3339 form",
    file: 'not-before-not-rfc3339.json',
    code: 'INVALID_CONFIG',
    path: '/signing/profiles/server/not_before',
    hint: '"2027-01-01T00:00:00Z"',
  },
  {
    name: 'rejects not_after before not_before',
    file: 'not-after-before-not-before.json',
    code: 'INVALID_CONFIG',
    path: '/signing/profiles/server/not_after',
    hint: 'swap them',
  },
  {
    name: 'rejects a name_whitelist that is not a regular expression',
    file: 'name-whitelist-bad-regex.json',
    code: 'INVALID_CONFIG',
    path: '/signing/profiles/server/name_whitelist',
  },
  {
    name: 'rejects auth_key "primry" and suggests "primary"',
    file: 'auth-key-undefined.json',
    code: 'INVALID_CONFIG',
    path: '/signing/profiles/server/auth_key',
    hint: 'did you mean "primary"',
  },
  {
    name: 'rejects a negative max_path_len',
    file: 'max-path-len-negative.json',
    code: 'INVALID_JSON',
    path: '/signing/profiles/peer/ca_constraint/max_path_len',
    message: '>= 0',
  },
  {
    name: 'rejects a profile written as an array',
    file: 'profile-not-an-object.json',
    code: 'INVALID_JSON',
    path: '/signing/profiles/peer',
    message: 'must be an object, not an array',
  },
];

describe('loadSigningPolicy on fixtures/invalid/ca-config', () => {
  it.each(INVALID)('$name', ({ file, code, path, message, hint }) => {
    expectPkiErrorSync(() => loadSigningPolicy(fixture(`invalid/ca-config/${file}`), { file }), {
      code,
      file,
      ...(path !== undefined ? { path } : {}),
      ...(message ? { message } : {}),
      ...(hint ? { hint } : {}),
    });
  });

  it('has a case for every file in fixtures/invalid/ca-config', () => {
    expect(INVALID.map((c) => c.file).sort()).toEqual(fixtureNames('invalid/ca-config'));
  });
});
