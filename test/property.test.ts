// Issue 9: property-based tests. Random valid requests give certificates that openssl verifies
// and that read back with the same subject and SANs; random invalid input gives a PkiError,
// never a crash of another kind.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PkiError,
  certificateInfo,
  classifyHosts,
  generateCertificate,
  initCA,
  loadCertificateAuthority,
  loadCertificateRequest,
  loadSigningPolicy,
  parseCertificate,
  parseCertificationRequest,
  parseGoDuration,
  readPrivateKey,
  resolveProfile,
  type CertificateAuthority,
  type SigningProfile,
} from '../src/index.js';
import { parseJsonStrict } from '../src/json.js';
import { fixture } from './support/fixtures.js';
import { opensslVerify } from './support/openssl.js';

const RUNS = { valid: 30, invalid: 40 } as const;

let caPem = '';
let ca: CertificateAuthority;
let peer: SigningProfile;

beforeAll(async () => {
  const root = await initCA({ request: loadCertificateRequest(JSON.stringify({ CN: 'property root CA' })) });
  caPem = root.cert;
  ca = loadCertificateAuthority({ certificate: root.cert, key: root.key! });
  peer = resolveProfile(loadSigningPolicy(fixture('seed/ca-config.json')), 'peer');
});

// Names as people write them: letters, digits, spaces and some punctuation, no separators that
// certinfo's joined fields would make ambiguous; sometimes beyond PrintableString.
const nameText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .'()-]{0,30}[A-Za-z0-9]$/);
const unicodeText = fc.constantFrom('Zürich', 'São Paulo', '東京', 'Łódź', 'Ελλάδα');
const nameValue = fc.oneof({ weight: 4, arbitrary: nameText }, { weight: 1, arbitrary: unicodeText });
const nameEntry = fc.record(
  {
    C: fc.stringMatching(/^[A-Z]{2}$/),
    ST: nameValue,
    L: nameValue,
    O: nameValue,
    OU: nameValue,
  },
  { requiredKeys: [] },
);

const dnsName = fc.oneof({ weight: 4, arbitrary: fc.domain() }, { weight: 1, arbitrary: fc.domain().map((d) => `*.${d}`) });
const host = fc.oneof(
  { weight: 3, arbitrary: dnsName },
  { weight: 2, arbitrary: fc.ipV4() },
  { weight: 2, arbitrary: fc.ipV6() },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: false, withFragments: false }) },
);
const key = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ algo: 'ecdsa', size: 256 }) },
  { weight: 3, arbitrary: fc.constant({ algo: 'ecdsa', size: 384 }) },
  { weight: 3, arbitrary: fc.constant({ algo: 'ed25519' }) },
  { weight: 1, arbitrary: fc.constant({ algo: 'rsa', size: 2048 }) },
);
const validRequest = fc.record({
  CN: fc.oneof(nameText, unicodeText, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })),
  hosts: fc.uniqueArray(host, { maxLength: 6, selector: (h) => h.toLowerCase() }),
  names: fc.array(nameEntry, { maxLength: 2 }),
  key,
});

/** IPv6 in one spelling, as a certificate reader prints it. */
const canonicalIp = (ip: string) => (ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip);

describe('random valid requests', () => {
  it(`issue certificates that openssl verifies and that read back the same (${RUNS.valid} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, async (json) => {
        const request = loadCertificateRequest(JSON.stringify(json), { file: 'random-csr.json' });
        const { cert } = await generateCertificate({ request, ca, profile: peer });
        await opensslVerify(caPem, cert);

        const parsed = parseCertificate(cert);
        const info = certificateInfo(parsed);
        expect(info.subject.common_name).toBe(json.CN);
        const values = (field: 'C' | 'ST' | 'L' | 'O' | 'OU') => json.names.flatMap((n) => (n[field] ? [n[field]] : [])).sort();
        const printed = (text: string | undefined) => (text ? text.split(',').sort() : []);
        expect(printed(info.subject.country)).toEqual(values('C'));
        expect(printed(info.subject.province)).toEqual(values('ST'));
        expect(printed(info.subject.locality)).toEqual(values('L'));
        expect(printed(info.subject.organization)).toEqual(values('O'));
        expect(printed(info.subject.organizational_unit)).toEqual(values('OU'));

        const expected = classifyHosts(json.hosts);
        expect(parsed.sans.dns).toEqual(expected.dns);
        expect(parsed.sans.email).toEqual(expected.email);
        expect(parsed.sans.uri).toEqual(expected.uri);
        expect(parsed.sans.ip.map(canonicalIp)).toEqual(expected.ip.map(canonicalIp));
        // certinfo prints DNS names then IP addresses, as cfssl does.
        const sans = [...expected.dns, ...expected.ip.map(canonicalIp)];
        expect((info.sans ?? []).map(canonicalIp)).toEqual(sans);
        expect(parsed.isCA).toBe(false);
      }),
      { numRuns: RUNS.valid },
    );
  });
});

/** Runs `fn`; anything it throws must be a PkiError with a message and a code. */
function onlyPkiErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof PkiError)) throw new Error(`expected a PkiError, got ${String(error)}`, { cause: error });
    expect(error.message.length).toBeGreaterThan(0);
  }
}

const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const csrKeys = fc.constantFrom('CN', 'hosts', 'key', 'names', 'ca', 'serialnumber', 'algo', 'size', 'expiry', 'pathlen');

describe('random invalid input gives a PkiError, never another exception', () => {
  const options = { numRuns: RUNS.invalid };

  it('as CSR JSON: any JSON value, and objects with its keys and random values', () => {
    const csrLike = fc.dictionary(csrKeys, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), csrLike), (value) =>
        onlyPkiErrors(() => loadCertificateRequest(JSON.stringify(value) ?? 'null')),
      ),
      options,
    );
  });

  it('as ca-config.json: any JSON value, and profiles with random fields', () => {
    const profile = fc.dictionary(
      fc.constantFrom('expiry', 'usages', 'backdate', 'not_before', 'not_after', 'name_whitelist', 'ca_constraint', 'auth_key'),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 4 },
    );
    const config = profile.map((p) => ({ signing: { default: p, profiles: { peer: p } } }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), config), (value) =>
        onlyPkiErrors(() => loadSigningPolicy(JSON.stringify(value) ?? 'null')),
      ),
      options,
    );
  });

  it('as hosts', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 4 }), (hosts) => onlyPkiErrors(() => classifyHosts(hosts, { path: '/hosts' }))),
      options,
    );
  });

  it('as a host in a CSR JSON file', () => {
    fc.assert(
      fc.property(anyString, (h) => onlyPkiErrors(() => loadCertificateRequest(JSON.stringify({ CN: 'x', hosts: [h] })))),
      options,
    );
  });

  it('as an expiry, alone and in a profile', () => {
    const expiry = fc.oneof(anyString, fc.stringMatching(/^[-+]?[0-9.]{0,6}(ns|us|µs|ms|s|m|h|d|y|)([0-9.]{0,4}(h|m|s))?$/));
    fc.assert(
      fc.property(expiry, (text) => {
        onlyPkiErrors(() => parseGoDuration(text));
        onlyPkiErrors(() => loadSigningPolicy(JSON.stringify({ signing: { profiles: { p: { expiry: text, usages: ['server auth'] } } } })));
      }),
      options,
    );
  });

  it('as usages', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 3 }), (usages) =>
        onlyPkiErrors(() => loadSigningPolicy(JSON.stringify({ signing: { profiles: { p: { usages } } } }))),
      ),
      options,
    );
  });

  it('as JSON text, parsed strictly (and as JSON.parse does when it is valid)', () => {
    const text = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 30 }),
      fc.json().map((j) => j.slice(0, Math.floor(j.length / 2))),
    );
    fc.assert(
      fc.property(text, (source) => {
        let parsed: unknown;
        try {
          parsed = parseJsonStrict(source);
        } catch (error) {
          if (!(error instanceof PkiError)) throw error;
          return;
        }
        expect(parsed).toEqual(JSON.parse(source));
      }),
      options,
    );
  });

  it('as PEM or DER bytes for keys, certificates and requests', () => {
    const label = fc.constantFrom('CERTIFICATE', 'CERTIFICATE REQUEST', 'EC PRIVATE KEY', 'PRIVATE KEY', 'RSA PRIVATE KEY');
    const armoured = fc
      .tuple(label, fc.uint8Array({ maxLength: 300 }))
      .map(([l, der]) => `-----BEGIN ${l}-----\n${Buffer.from(der).toString('base64')}\n-----END ${l}-----\n`);
    const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), armoured, anyString);
    fc.assert(
      fc.property(input, (data) => {
        onlyPkiErrors(() => readPrivateKey(data, 'random'));
        onlyPkiErrors(() => parseCertificate(data, 'random'));
        onlyPkiErrors(() => parseCertificationRequest(data, 'random'));
      }),
      options,
    );
  });
});
