import { describe, expect, it } from 'vitest';
import { loadCertificateRequest, normaliseCertificateRequest } from '../../src/csr/load.js';
import { withOverrides } from '../../src/csr/overrides.js';
import { fixture, fixtureNames } from '../support/fixtures.js';
import { expectPkiErrorSync, type InvalidFileCase } from '../support/errors.js';
import type { PkiWarning } from '../../src/errors.js';

const HOUR = 3_600_000;
const WALKTHROUGH_NAMES = { country: ['US'], province: ['San Francisco'], locality: ['CA'] };

describe("loadCertificateRequest on the walkthrough's CSR files", () => {
  const seeds = [
    { file: 'rootca-csr.json', cn: 'ETCD Root CA', ip: [] },
    { file: 'etcd1-csr.json', cn: 'ETCD Cluster-1', ip: ['192.168.0.91'] },
    { file: 'etcd2-csr.json', cn: 'ETCD Cluster-2', ip: ['192.168.0.92'] },
    { file: 'etcd3-csr.json', cn: 'ETCD Cluster-3', ip: ['192.168.0.93'] },
    { file: 'etcd4-csr.json', cn: 'ETCD Peer on etcd4', ip: ['192.168.0.94'] },
    { file: 'etcd-csr.json', cn: 'ETCD Cluster', ip: ['192.168.0.91', '192.168.0.92', '192.168.0.93'] },
    { file: 'etcd1-peer-csr.json', cn: 'ETCD Peer on etcd1', ip: ['192.168.0.91'] },
    { file: 'etcd2-peer-csr.json', cn: 'ETCD Peer on etcd2', ip: ['192.168.0.92'] },
    { file: 'etcd3-peer-csr.json', cn: 'ETCD Peer on etcd3', ip: ['192.168.0.93'] },
    { file: 'etcd4-peer-csr.json', cn: 'ETCD Peer on etcd4', ip: ['192.168.0.94'] },
    { file: 'etcdctl-csr.json', cn: 'ETCDCTL', ip: [] },
  ].map((s) => ({ ...s, name: `reads ${s.file}: CN "${s.cn}", ECDSA P-256, IP SANs [${s.ip.join(', ')}]` }));
  it.each(seeds)('$name', ({ file, cn, ip }) => {
    const spec = loadCertificateRequest(fixture(`seed/${file}`), { file });
    expect(spec.subject).toMatchObject({ commonName: cn, ...WALKTHROUGH_NAMES });
    expect(spec.key).toEqual({ algo: 'ecdsa', size: 256 });
    expect(spec.sans).toEqual({ dns: [], email: [], ip, uri: [] });
    expect(spec.hosts).toEqual(ip);
    expect(spec.ca).toBeUndefined();
  });

  it('covers every file in fixtures/seed', () => {
    const csrFiles = fixtureNames('seed').filter((f) => f.endsWith('-csr.json'));
    expect(csrFiles).toEqual(seeds.map((s) => s.file).sort());
  });
});

describe('normaliseCertificateRequest', () => {
  it("uses cfssl's default key, ECDSA P-256, when there is no key", () => {
    expect(normaliseCertificateRequest({ CN: 'etcd1' }).key).toEqual({ algo: 'ecdsa', size: 256 });
  });

  it.each([
    [{ algo: 'ecdsa', size: 384 } as const, { algo: 'ecdsa', size: 384 }],
    [{ algo: 'ecdsa', size: 521 } as const, { algo: 'ecdsa', size: 521 }],
    [{ algo: 'rsa', size: 2048 } as const, { algo: 'rsa', size: 2048 }],
    [{ algo: 'rsa', size: 8192 } as const, { algo: 'rsa', size: 8192 }],
    [{ algo: 'ed25519' } as const, { algo: 'ed25519' }],
  ])('accepts key %j', (key, spec) => {
    expect(normaliseCertificateRequest({ CN: 'x', key }).key).toEqual(spec);
  });

  it('collects each names[] entry into multi-valued attributes; E and OID become extra names, names[].SerialNumber is ignored (cfssl 1.6.5)', () => {
    const spec = normaliseCertificateRequest({
      CN: 'etcd-admin',
      serialnumber: 'SN-1',
      names: [
        { C: 'US', O: 'Example', OU: 'b-team', E: 'ops@example.com', OID: { '2.5.4.12': 'admin' } },
        { O: 'Second', OU: 'a-team', SerialNumber: 'ignored', E: 'two@example.com' },
      ],
    });
    expect(spec.subject).toEqual({
      commonName: 'etcd-admin',
      country: ['US'],
      province: [],
      locality: [],
      organization: ['Example', 'Second'],
      organizationalUnit: ['b-team', 'a-team'],
      extraNames: [
        { type: '2.5.4.12', value: 'admin' },
        { type: '1.2.840.113549.1.9.1', value: 'ops@example.com' },
        { type: '1.2.840.113549.1.9.1', value: 'two@example.com' },
      ],
      serialNumber: 'SN-1',
    });
  });

  it('reads ca.expiry, ca.pathlen and ca.backdate', () => {
    expect(normaliseCertificateRequest({ CN: 'ca', ca: { expiry: '87600h', pathlen: 2, backdate: '1h' } }).ca).toEqual({
      expiry: 87600 * HOUR,
      pathLen: 2,
      backdate: HOUR,
    });
  });

  it('treats ca.pathlen 0 as "no constraint" and pathlenzero as an explicit 0, as cfssl does', () => {
    expect(normaliseCertificateRequest({ CN: 'ca', ca: { pathlen: 0 } }).ca).toEqual({});
    expect(normaliseCertificateRequest({ CN: 'ca', ca: { pathlen: 0, pathlenzero: true } }).ca).toEqual({ pathLen: 0 });
  });

  it('accepts a request that names only hosts', () => {
    expect(normaliseCertificateRequest({ hosts: ['etcd1.example.com'] }).sans.dns).toEqual(['etcd1.example.com']);
  });
});

describe('withOverrides', () => {
  const spec = loadCertificateRequest(fixture('seed/etcd1-csr.json'));

  it('replaces hosts and re-classifies them (cfssl -hostname)', () => {
    const out = withOverrides(spec, { hosts: ['etcd1.example.com', '10.0.0.1'] });
    expect(out.sans).toEqual({ dns: ['etcd1.example.com'], email: [], ip: ['10.0.0.1'], uri: [] });
    expect(out.subject.commonName).toBe('ETCD Cluster-1');
  });

  it('replaces the CN (cfssl -cn) and keeps the hosts', () => {
    const out = withOverrides(spec, { commonName: 'etcd1' });
    expect(out.subject.commonName).toBe('etcd1');
    expect(out.sans.ip).toEqual(['192.168.0.91']);
  });

  it("checks override hosts as strictly as the file's", () => {
    expectPkiErrorSync(() => withOverrides(spec, { hosts: ['192.168.0.91:2379'] }), { code: 'INVALID_HOST', hint: '"192.168.0.91"' });
  });
});

const INVALID: InvalidFileCase[] = [
  {
    name: 'rejects {"algo": "rsa"} without a size and says to add one (cfssl: "RSA key is too weak")',
    file: 'rsa-without-size.json',
    code: 'KEY_TOO_WEAK',
    path: '/key/size',
    hint: '"size": 2048',
  },
  { name: 'rejects RSA 1024 as too weak', file: 'rsa-1024.json', code: 'KEY_TOO_WEAK', path: '/key/size', message: '1024', hint: '2048' },
  {
    name: 'rejects RSA 16384 as larger than 8192',
    file: 'rsa-16384.json',
    code: 'KEY_UNSUPPORTED',
    path: '/key/size',
    hint: '2048 to 8192',
  },
  {
    name: 'rejects ECDSA size 224 and lists the curves',
    file: 'ecdsa-224.json',
    code: 'KEY_UNSUPPORTED',
    path: '/key/size',
    hint: ['256', '384', '521'],
  },
  {
    name: 'rejects an Ed25519 key with size 2048',
    file: 'ed25519-with-size-2048.json',
    code: 'KEY_UNSUPPORTED',
    path: '/key/size',
    hint: 'remove "size"',
  },
  {
    name: 'rejects algo "ecdas" and suggests "ecdsa"',
    file: 'algo-typo-ecdas.json',
    code: 'INVALID_JSON',
    path: '/key/algo',
    hint: 'did you mean "ecdsa"',
  },
  {
    name: 'rejects algo "RSA" and suggests "rsa"',
    file: 'algo-upper-case-RSA.json',
    code: 'INVALID_JSON',
    path: '/key/algo',
    hint: 'did you mean "rsa"',
  },
  {
    name: 'rejects a key size written as a string',
    file: 'key-size-string.json',
    code: 'INVALID_JSON',
    path: '/key/size',
    message: 'must be an integer',
  },
  {
    name: 'rejects unknown key "host" and suggests "hosts" (cfssl ignores it)',
    file: 'unknown-key-host.json',
    code: 'INVALID_JSON',
    path: '/host',
    hint: 'did you mean "hosts"',
  },
  {
    name: 'rejects names[0].ou and suggests "OU"',
    file: 'names-lower-case-ou.json',
    code: 'INVALID_JSON',
    path: '/names/0/ou',
    hint: 'did you mean "OU"',
  },
  {
    name: 'rejects names written as an object',
    file: 'names-not-an-array.json',
    code: 'INVALID_JSON',
    path: '/names',
    message: 'must be an array',
  },
  {
    name: 'rejects hosts written as a string',
    file: 'hosts-not-an-array.json',
    code: 'INVALID_JSON',
    path: '/hosts',
    message: 'must be an array, not a string',
  },
  {
    name: 'rejects host "192.168.0.91:2379" and suggests dropping the port',
    file: 'host-with-port.json',
    code: 'INVALID_HOST',
    path: '/hosts/0',
    hint: 'write "192.168.0.91"',
  },
  { name: 'rejects a CIDR range in hosts', file: 'host-cidr.json', code: 'INVALID_HOST', path: '/hosts/1', message: 'CIDR' },
  {
    name: 'rejects a host with a trailing space',
    file: 'host-with-space.json',
    code: 'INVALID_HOST',
    path: '/hosts/0',
    message: 'white space',
  },
  {
    name: 'rejects a wildcard in the middle of a name',
    file: 'host-wildcard-in-middle.json',
    code: 'INVALID_HOST',
    path: '/hosts/0',
    message: 'wildcard',
  },
  {
    name: 'rejects a non-ASCII host and gives its IDNA form',
    file: 'host-not-ascii.json',
    code: 'INVALID_HOST',
    path: '/hosts/0',
    hint: '"xn--bcher-kva.example"',
  },
  {
    name: "rejects ca.expiry '5y' and suggests '43800h'",
    file: 'ca-expiry-5y.json',
    code: 'INVALID_DURATION',
    path: '/ca/expiry',
    hint: '"43800h"',
  },
  { name: 'rejects a negative ca.pathlen', file: 'ca-pathlen-negative.json', code: 'INVALID_JSON', path: '/ca/pathlen', message: '>= 0' },
  { name: 'rejects a byte order mark', file: 'bom.json', code: 'INVALID_JSON', message: 'byte order mark', hint: 'without BOM' },
  {
    name: 'rejects a trailing comma in hosts',
    file: 'trailing-comma.json',
    code: 'INVALID_JSON',
    message: ['line 5, column 5', 'trailing comma'],
    hint: 'remove the comma',
  },
  {
    name: 'rejects single-quoted keys',
    file: 'single-quotes.json',
    code: 'INVALID_JSON',
    message: 'line 2, column 5',
    hint: 'double quotes',
  },
];

describe('what cfssl 1.6.5 accepts and changes, accepted and said on stderr (issue 15)', () => {
  const load = (text: string) => {
    const warnings: PkiWarning[] = [];
    const spec = loadCertificateRequest(text, { file: 'csr.json', onWarning: (w) => warnings.push(w) });
    return { spec, warnings };
  };

  it('keeps the last of two duplicate keys, as Go does, with one warning naming the path', () => {
    const { spec, warnings } = load('{"CN": "a", "names": [{"OU": "x", "OU": "y"}], "CN": "b"}');
    expect(spec.subject.commonName).toBe('b');
    expect(spec.subject.organizationalUnit).toEqual(['y']);
    expect(warnings.map((w) => [w.path, w.message])).toEqual([
      ['/names/0/OU', 'duplicate key "OU": the last one is used, as cfssl does'],
      ['/CN', 'duplicate key "CN": the last one is used, as cfssl does'],
    ]);
  });

  it('writes an empty host as an empty DNS name, as cfssl does, with a warning', () => {
    const { spec, warnings } = load('{"CN": "client", "hosts": ["", "a.example", "a.example"]}');
    expect(spec.sans.dns).toEqual(['', 'a.example', 'a.example']);
    expect(warnings).toEqual([
      expect.objectContaining({ file: 'csr.json', path: '/hosts/0', message: expect.stringContaining('empty DNS name') }),
    ]);
  });

  it('reads {"algo": "ecdsa"} without a size as P-256 (cfssl keeps its default size)', () => {
    expect(load('{"CN": "a", "key": {"algo": "ecdsa"}}').spec.key).toEqual({ algo: 'ecdsa', size: 256 });
  });

  it('accepts a request that names nothing, as cfssl gencert does', () => {
    expect(load('{}').spec.subject).toEqual({ country: [], province: [], locality: [], organization: [], organizationalUnit: [] });
  });

  it('keeps the last duplicate without a warning sink too (the library reads what cfssl reads)', () => {
    expect(loadCertificateRequest('{"CN": "a", "CN": "b"}', { file: 'x.json' }).subject.commonName).toBe('b');
  });
});

describe('loadCertificateRequest on fixtures/invalid/csr', () => {
  it.each(INVALID)('$name', ({ file, code, path, message, hint }) => {
    expectPkiErrorSync(() => loadCertificateRequest(fixture(`invalid/csr/${file}`), { file }), {
      code,
      file,
      ...(path !== undefined ? { path } : {}),
      ...(message ? { message } : {}),
      ...(hint ? { hint } : {}),
    });
  });

  it('has a case for every file in fixtures/invalid/csr', () => {
    expect(INVALID.map((c) => c.file).sort()).toEqual(fixtureNames('invalid/csr'));
  });
});
