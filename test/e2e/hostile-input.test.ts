// Issue 9: hostile input gets one clear error line naming the input and the fix, a documented
// non-zero exit status, no stack trace, no key material, and leaves the output directory exactly
// as it was. Every case runs the built CLI as a child process in a directory of its own.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runOk, shellStatus } from '../support/run.js';
import { assertNoKeyMaterial, snapshot } from '../support/dir-state.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The package whose built CLI is tested: this checkout, or ETCD_PKI_BUILT (a copy built elsewhere). */
const BUILT = process.env.ETCD_PKI_BUILT ?? REPO;
const FIXTURES = join(REPO, 'fixtures');
const work = mkdtempSync(join(tmpdir(), 'etcd-pki-hostile-'));
const kit = join(work, 'kit');
let cli = '';

afterAll(() => rmSync(work, { recursive: true, force: true }));

// The built CLI is copied once, so that a rebuild of dist/ while the suite runs (another suite's
// global setup, a developer's `npm run build`) cannot pull it away between cases.
beforeAll(async () => {
  const installed = join(work, 'cli');
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(installed, { recursive: true, force: true });
      mkdirSync(installed);
      for (const part of ['bin', 'dist', 'schemas', 'package.json']) cpSync(join(BUILT, part), join(installed, part), { recursive: true });
      symlinkSync(join(REPO, 'node_modules'), join(installed, 'node_modules'));
      if (!existsSync(join(installed, 'dist', 'cli-bundle', 'etcd-pki.cjs.v8-cache'))) throw new Error('dist/ is incomplete');
      break;
    } catch (error) {
      if (attempt >= 20) throw new Error(`cannot copy the built CLI (run "npm run build"): ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  cli = join(installed, 'bin', 'etcd-pki.cjs');
  await makeKit();
});

/** Inputs copied from fixtures/ into every case's directory, by the name they have there. */
const FROM_FIXTURES: Readonly<Record<string, string>> = {
  'ca.pem': 'cfssl/rootca.pem',
  'ca-key.pem': 'cfssl/rootca-key.pem',
  'leaf.pem': 'cfssl/etcd1.pem',
  'leaf-key.pem': 'cfssl/etcd1-key.pem',
  'leaf.csr': 'cfssl/etcd1.csr',
  'ca-config.json': 'seed/ca-config.json',
  'ca-request.csr': 'openssl/ca-request.csr',
  'enc-pkcs8-key.pem': 'openssl/ec256-encrypted-pkcs8.pem',
  'enc-sec1-key.pem': 'openssl/ec384-encrypted-sec1.pem',
  'k1-key.pem': 'openssl/secp256k1-sec1.pem',
};

/** A kit input's text (read from fixtures/, so that the case table can be built before the kit). */
function text(name: string): string {
  if (name === 'issued.json') return JSON.stringify({ cert: text('leaf.pem'), csr: text('leaf.csr'), key: text('leaf-key.pem') });
  return readFileSync(join(FIXTURES, FROM_FIXTURES[name]!), 'utf8');
}

/** The inputs every case starts with, copied into its directory. */
async function makeKit(): Promise<void> {
  mkdirSync(kit);
  for (const [name, fixture] of Object.entries(FROM_FIXTURES)) cpSync(join(FIXTURES, fixture), join(kit, name));
  writeFileSync(join(kit, 'csr.json'), JSON.stringify(CSR));
  writeFileSync(join(kit, 'issued.json'), text('issued.json'));
  writeFileSync(join(kit, 'badsig.csr'), withFlippedLastByte(text('leaf.csr'), 'CERTIFICATE REQUEST'));
  // Keys and requests cfssl never makes, from real openssl.
  const openssl = (...args: string[]) => runOk('openssl', args, { cwd: kit });
  await openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'weak-key.pem');
  await openssl('req', '-new', '-key', 'weak-key.pem', '-subj', '/CN=weak', '-out', 'weak.csr');
  await openssl('req', '-x509', '-key', 'weak-key.pem', '-subj', '/CN=weak CA', '-days', '2', '-out', 'weak-ca.pem');
  await openssl('req', '-new', '-key', 'k1-key.pem', '-subj', '/CN=k1', '-out', 'k1.csr');
  await openssl('genpkey', '-algorithm', 'ED448', '-out', 'ed448-key.pem');
  await openssl('req', '-new', '-key', 'ed448-key.pem', '-subj', '/CN=ed448', '-out', 'ed448.csr');
  await openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'other-key.pem',
    '-subj',
    '/CN=other',
    '-out',
    'other.csr',
  );
  // Requests whose SANs cfssl's sign carries into the certificate unchecked.
  for (const [name, san] of Object.entries(BAD_CSR_SANS)) {
    await openssl(
      'req',
      '-new',
      '-key',
      'other-key.pem',
      '-subj',
      '/CN=other',
      '-addext',
      `subjectAltName=${san}`,
      '-out',
      `san-${name}.csr`,
    );
  }
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'nocertsign-key.pem',
    '-out',
    'nocertsign.pem',
    '-subj',
    '/CN=no cert sign CA',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature',
  );
  // 10,000 SANs are too long for one argument: an openssl configuration lists them.
  const many = Array.from({ length: 10_000 }, (_, i) => `DNS.${i + 1} = h${i}.example.com`).join('\n');
  writeFileSync(
    join(kit, 'many.cnf'),
    `[req]\ndistinguished_name = dn\nreq_extensions = ext\nprompt = no\n[dn]\nCN = other\n[ext]\nsubjectAltName = @alt\n[alt]\n${many}\n`,
  );
  await openssl('req', '-new', '-key', 'other-key.pem', '-config', 'many.cnf', '-out', 'san-10000.csr');
}

const BAD_CSR_SANS = {
  space: 'DNS:a b.example.com',
  port: 'DNS:a.example.com:443',
  cidr: 'DNS:10.0.0.0/8',
  wildcard: 'DNS:a.*.example.com',
  fifthpart: 'DNS:1.2.3.4.5',
} as const;

/** The PEM object with the last byte of its DER changed (for a CSR: a signature that does not verify). */
function withFlippedLastByte(pem: string, label: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  der[der.length - 1]! ^= 0x01;
  return `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END ${label}-----\n`;
}

const CSR = {
  CN: 'etcd1',
  hosts: ['etcd1.example.com', '10.0.0.1'],
  key: { algo: 'ecdsa', size: 256 },
  names: [{ C: 'US', O: 'etcd' }],
};
const csrWith = (changes: Record<string, unknown>) => JSON.stringify({ ...CSR, ...changes });
const withHosts = (...hosts: unknown[]) => csrWith({ hosts });

const CONFIG = JSON.parse(readFileSync(join(FIXTURES, 'seed/ca-config.json'), 'utf8')) as {
  signing: { default: Record<string, unknown>; profiles: Record<string, Record<string, unknown>> };
};
/** ca-config.json with profile "peer" changed. */
const peerWith = (changes: Record<string, unknown>) =>
  JSON.stringify({
    signing: { ...CONFIG.signing, profiles: { ...CONFIG.signing.profiles, peer: { ...CONFIG.signing.profiles.peer, ...changes } } },
  });

interface HostileCase {
  readonly name: string;
  /** The command line after `etcd-pki`; paths are relative to the case's directory. */
  readonly args: readonly string[];
  /** Files written into the case's directory before the run. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Anything else the case needs in its directory (links, directories). */
  readonly setup?: (dir: string) => void;
  readonly stdin?: string | Uint8Array;
  /** The documented exit status. */
  readonly exit: number;
  /** Words the error line must contain: the input, the JSON path where there is one, the fix. */
  readonly words: readonly string[];
  /** The message may name PEM labels such as "EC PRIVATE KEY" (never key material). */
  readonly labels?: boolean;
  /** Run through `main` in a child process with the arguments given on stdin (for NUL bytes, which argv cannot hold). */
  readonly inProcess?: boolean;
}

// The commands that read a CSR JSON file, with that file as their last argument.
const CSR_COMMANDS: ReadonlyArray<{ name: string; args: (file: string) => string[] }> = [
  { name: 'gencert -initca', args: (f) => ['gencert', '-initca', f] },
  {
    name: 'gencert',
    args: (f) => ['gencert', '-ca', 'ca.pem', '-ca-key', 'ca-key.pem', '-config', 'ca-config.json', '-profile', 'peer', f],
  },
  { name: 'genkey', args: (f) => ['genkey', f] },
  { name: 'gencsr', args: (f) => ['gencsr', '-key', 'leaf-key.pem', f] },
  { name: 'selfsign', args: (f) => ['selfsign', f] },
];

const CSR_DEFECTS: ReadonlyArray<{ defect: string; json: string | Uint8Array; words: string[]; exit?: number }> = [
  { defect: 'a truncated file', json: '{"CN": "etcd1", "hosts": [', words: ['line 1', 'end of the file', 'truncated'] },
  { defect: 'trailing garbage', json: `${JSON.stringify(CSR)} }`, words: ['after the end of the JSON value', 'remove the trailing text'] },
  { defect: 'a byte order mark', json: `\ufeff${JSON.stringify(CSR)}`, words: ['byte order mark', 'without BOM'] },
  { defect: 'a number for CN', json: csrWith({ CN: 5 }), words: ['CN:', 'must be a string', 'double quotes'] },
  { defect: 'a number in hosts', json: withHosts('etcd1', 10001), words: ['hosts[1]', 'must be a string', 'double quotes'] },
  { defect: 'hosts as a string', json: csrWith({ hosts: 'etcd1' }), words: ['hosts:', 'must be an array', 'write a list'] },
  { defect: 'a quoted key size', json: csrWith({ key: { algo: 'ecdsa', size: '256' } }), words: ['key.size', 'remove the quotes'] },
  { defect: 'a misspelt key', json: csrWith({ host: ['etcd1'] }), words: ['host', 'unknown key', 'did you mean "hosts"'] },
  { defect: 'an empty file', json: '', words: ['the file is empty', 'right file'] },
  { defect: 'null', json: 'null', words: ['must be an object', 'write an object'] },
  { defect: 'an array', json: '[]', words: ['must be an object', 'write an object'] },
  { defect: 'a trailing comma', json: '{\n  "CN": "etcd1",\n}', words: ['line 3', 'no trailing comma'] },
  { defect: 'single quotes', json: "{'CN': 'etcd1'}", words: ['expected a quoted key', 'double quotes'] },
  // Over the 1 MiB a CSR JSON may be (issue 18): refused before it is parsed.
  {
    defect: 'a 10 MB CN',
    json: csrWith({ CN: 'x'.repeat(10 * 1024 * 1024) }),
    words: ['larger than 1 MiB', 'CSR JSON', 'right file'],
    exit: EXIT.io,
  },
  {
    defect: '100,000 hosts',
    json: withHosts(...Array.from({ length: 100_000 }, (_, i) => `h${i}.example.com`)),
    words: ['larger than 1 MiB', 'CSR JSON'],
    exit: EXIT.io,
  },
  { defect: 'a 900 KB CN', json: csrWith({ CN: 'x'.repeat(900 * 1024) }), words: ['CN:', 'characters long', 'right file'] },
  {
    defect: '40,000 hosts',
    json: withHosts(...Array.from({ length: 40_000 }, (_, i) => `h${i}.example.com`)),
    words: ['hosts:', '40000 entries', 'right file'],
  },
  { defect: 'binary data', json: Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x00, 0xff, 0xfe, 0x01]), words: ['NUL bytes', 'not a JSON file'] },
  {
    defect: 'bytes that are not UTF-8',
    json: Buffer.concat([Buffer.from('{"CN": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    words: ['not UTF-8', 'UTF-8 text'],
  },
  {
    defect: 'nesting 100 levels deep',
    json: `{"names": ${'['.repeat(100)}${']'.repeat(100)}}`,
    words: ['nesting deeper than 64', 'right file'],
  },
];

const csrJsonCases: HostileCase[] = CSR_COMMANDS.flatMap(({ name, args }) =>
  CSR_DEFECTS.map(({ defect, json, words, exit }) => ({
    name: `${name} rejects ${defect} in the CSR JSON`,
    args: args('bad-csr.json'),
    files: { 'bad-csr.json': json },
    exit: exit ?? EXIT.input,
    words: ['bad-csr.json', ...words],
  })),
);

/** gencert or sign with the kit's CA and `config` (default the seed ca-config.json). */
const withCa = (command: 'gencert' | 'sign', config: string, rest: string[]) => [
  command,
  '-ca',
  'ca.pem',
  '-ca-key',
  'ca-key.pem',
  '-config',
  config,
  ...rest,
];
const gencert = (...rest: string[]) => withCa('gencert', 'ca-config.json', rest);
const sign = (...rest: string[]) => withCa('sign', 'ca-config.json', rest);

const CONFIG_DEFECTS: ReadonlyArray<{ defect: string; json: string; profile?: string; words: string[] }> = [
  { defect: 'a truncated ca-config.json', json: '{"signing": {"profiles": {', words: ['end of the file', 'truncated'] },
  { defect: 'a byte order mark', json: `\ufeff${JSON.stringify(CONFIG)}`, words: ['byte order mark', 'without BOM'] },
  {
    defect: 'a number for expiry',
    json: peerWith({ expiry: 8760 }),
    words: ['signing.profiles.peer.expiry', 'must be a string', '"8760"'],
  },
  { defect: 'usages as a string', json: peerWith({ usages: 'server auth' }), words: ['signing.profiles.peer.usages', 'write a list'] },
  { defect: 'a misspelt key', json: peerWith({ expiri: '1h' }), words: ['signing.profiles.peer.expiri', 'did you mean "expiry"'] },
  {
    defect: 'an unknown usage',
    json: peerWith({ usages: ['server auht'] }),
    words: ['usages[0]', 'unknown usage', 'did you mean "server auth"'],
  },
  { defect: 'expiry "1y"', json: peerWith({ expiry: '1y' }), words: ['signing.profiles.peer.expiry', '"1y"', 'write "8760h"'] },
  { defect: 'expiry "-1h"', json: peerWith({ expiry: '-1h' }), words: ['signing.profiles.peer.expiry', 'negative', 'positive duration'] },
  { defect: 'expiry "0s"', json: peerWith({ expiry: '0s' }), words: ['signing.profiles.peer.expiry', 'zero', 'positive validity'] },
  { defect: 'expiry "365d"', json: peerWith({ expiry: '365d' }), words: ['signing.profiles.peer.expiry', 'write "8760h"'] },
  {
    defect: 'not_after before not_before',
    json: peerWith({ not_before: '2030-01-01T00:00:00Z', not_after: '2029-01-01T00:00:00Z' }),
    words: ['signing.profiles.peer.not_after', 'not after not_before', 'swap them'],
  },
  {
    defect: 'a not_before that is not RFC 3339',
    json: peerWith({ not_before: 'tomorrow' }),
    words: ['not_before', 'RFC 3339', '2027-01-01T00:00:00Z'],
  },
  {
    defect: 'a name_whitelist that is not a pattern',
    json: peerWith({ name_whitelist: '((' }),
    words: ['name_whitelist', 'regular expression', 'fix the pattern'],
  },
  { defect: 'a profile without usages', json: peerWith({ usages: [] }), words: ['signing.profiles.peer', 'no usages', 'add "usages"'] },
  {
    defect: 'an unsupported cfssl option',
    json: peerWith({ copy_extensions: true }),
    words: ['copy_extensions', 'not supported', 'remove it'],
  },
  { defect: 'an auth_key without auth_keys', json: peerWith({ auth_key: 'k' }), words: ['auth_key', 'not defined', 'auth_keys'] },
  {
    defect: 'an unknown profile',
    json: JSON.stringify(CONFIG),
    profile: 'peeer',
    words: ['signing.profiles', 'unknown profile "peeer"', 'did you mean "peer"'],
  },
  {
    defect: 'a profile named by a typo of a short name',
    json: JSON.stringify(CONFIG),
    profile: 'clinet',
    words: ['unknown profile', 'did you mean "client"'],
  },
];

const configCases: HostileCase[] = CONFIG_DEFECTS.flatMap(({ defect, json, profile, words }) => [
  {
    name: `gencert rejects ${defect}`,
    args: withCa('gencert', 'bad-config.json', ['-profile', profile ?? 'peer', '-bare', 'out', 'csr.json']),
    files: { 'bad-config.json': json },
    exit: EXIT.input,
    words: ['bad-config.json', ...words],
  },
  {
    name: `sign rejects ${defect}`,
    args: withCa('sign', 'bad-config.json', ['-profile', profile ?? 'peer', 'leaf.csr']),
    files: { 'bad-config.json': json },
    exit: EXIT.input,
    words: ['bad-config.json', ...words],
  },
]);

const policyCases: HostileCase[] = [
  ...(['gencert -initca', 'genkey', 'selfsign', 'gencert'] as const).map((command) => ({
    name: `${command} refuses an RSA 1024 key`,
    args: CSR_COMMANDS.find((c) => c.name === command)!.args('weak-csr.json'),
    files: { 'weak-csr.json': csrWith({ key: { algo: 'rsa', size: 1024 } }) },
    exit: EXIT.input,
    words: ['weak-csr.json', 'key.size', '1024', 'too weak', '2048'],
  })),
  {
    name: 'genkey refuses RSA without a size',
    args: ['genkey', 'k.json'],
    files: { 'k.json': csrWith({ key: { algo: 'rsa' } }) },
    exit: EXIT.input,
    words: ['k.json', 'key.size', 'needs a size', '2048'],
  },
  {
    name: 'genkey refuses RSA 16384',
    args: ['genkey', 'k.json'],
    files: { 'k.json': csrWith({ key: { algo: 'rsa', size: 16384 } }) },
    exit: EXIT.input,
    words: ['k.json', 'key.size', '8192'],
  },
  {
    name: 'gencert -initca refuses an unknown curve size',
    args: ['gencert', '-initca', 'k.json'],
    files: { 'k.json': csrWith({ key: { algo: 'ecdsa', size: 255 } }) },
    exit: EXIT.input,
    words: ['k.json', 'key.size', 'no ECDSA curve of size 255', '256 (P-256)'],
  },
  {
    name: 'genkey refuses an unknown algorithm with did-you-mean',
    args: ['genkey', 'k.json'],
    files: { 'k.json': csrWith({ key: { algo: 'dsa', size: 2048 } }) },
    exit: EXIT.input,
    words: ['k.json', 'key.algo', 'unknown value "dsa"', 'did you mean "rsa"'],
  },
  {
    name: 'selfsign refuses an Ed25519 key with a size',
    args: ['selfsign', 'k.json'],
    files: { 'k.json': csrWith({ key: { algo: 'ed25519', size: 384 } }) },
    exit: EXIT.input,
    words: ['k.json', 'key.size', 'ed25519', 'remove "size"'],
  },
  ...(['1y', '-1h', '0s'] as const).map((expiry) => ({
    name: `gencert -initca refuses CA expiry ${JSON.stringify(expiry)}`,
    args: ['gencert', '-initca', '-bare', 'ca2', 'ca-csr.json'],
    files: { 'ca-csr.json': csrWith({ ca: { expiry } }) },
    exit: EXIT.input,
    words: ['ca-csr.json', 'ca.expiry', JSON.stringify(expiry), expiry === '1y' ? 'write "8760h"' : 'positive'],
  })),
  {
    name: 'gencert refuses a CSR JSON asking for a CA, as cfssl does',
    args: gencert('-profile', 'peer', 'ca-csr.json'),
    files: { 'ca-csr.json': csrWith({ ca: { expiry: '8760h' } }) },
    exit: EXIT.input,
    words: ['ca-csr.json', 'ca:', 'only gencert -initca', 'remove "ca"'],
  },
  {
    name: 'sign refuses a CA request against the non-CA profile "peer"',
    args: sign('-profile', 'peer', 'ca-request.csr'),
    exit: EXIT.input,
    words: ['ca-config.json', 'signing.profiles.peer', 'asks for a CA certificate', 'ca_constraint'],
  },
  {
    name: 'sign refuses a CA request against the built-in default policy',
    args: ['sign', '-ca', 'ca.pem', '-ca-key', 'ca-key.pem', 'ca-request.csr'],
    exit: EXIT.input,
    words: ['signing.default', 'asks for a CA certificate', 'ca_constraint'],
  },
  {
    name: 'gencert refuses a CN outside name_whitelist',
    args: withCa('gencert', 'wl.json', ['-profile', 'peer', 'csr.json']),
    files: { 'wl.json': peerWith({ name_whitelist: '^etcd[0-9]\\.internal$' }) },
    exit: EXIT.input,
    words: ['wl.json', 'signing.profiles.peer.name_whitelist', 'name "etcd1"', 'names must match', 'another profile'],
  },
  {
    name: 'sign refuses a SAN outside name_whitelist',
    args: withCa('sign', 'wl.json', ['-profile', 'peer', '-hostname', 'evil.example.org', 'leaf.csr']),
    files: { 'wl.json': peerWith({ name_whitelist: '^(ETCD .*|etcd[0-9]\\.example\\.com)$' }) },
    exit: EXIT.input,
    words: ['wl.json', 'name_whitelist', '"evil.example.org"', 'names must match'],
  },
  {
    name: 'sign refuses a request for an RSA 1024 key',
    args: sign('-profile', 'peer', 'weak.csr'),
    exit: EXIT.input,
    words: ['weak.csr', '1024 bits', '2048 bits or more'],
  },
  {
    name: 'sign refuses a request for a secp256k1 key',
    args: sign('-profile', 'peer', 'k1.csr'),
    exit: EXIT.input,
    words: ['k1.csr', 'secp256k1', 'P-256'],
  },
  {
    name: 'sign refuses a request signed with Ed448',
    args: sign('-profile', 'peer', 'ed448.csr'),
    exit: EXIT.input,
    words: ['ed448.csr', 'unsupported', 'Ed25519'],
  },
];

const HOST_DEFECTS: ReadonlyArray<{ host: string; words: string[] }> = [
  { host: 'etcd 1.example.com', words: ['white space', 'remove the spaces'] },
  { host: ' etcd1.example.com', words: ['white space', 'remove the spaces'] },
  { host: 'etcd1.exämple.com', words: ['not ASCII', 'xn--'] },
  { host: 'etcd1.*.example.com', words: ['wildcard', '"*.example.com"'] },
  { host: 'etcd*.example.com', words: ['wildcard', 'whole leftmost label'] },
  { host: '*', words: ['wildcard', 'whole leftmost label'] },
  { host: '10.0.0.0/8', words: ['CIDR range', 'list each IP address'] },
  { host: 'fd00::/64', words: ['CIDR range', 'list each IP address'] },
  { host: 'etcd1.example.com:2379', words: ['includes a port', 'write "etcd1.example.com"'] },
  { host: '[::1]:2380', words: ['includes a port', 'hosts take no port'] },
  { host: '   ', words: ['is empty', 'remove it'] },
  { host: 'etcd1..example.com', words: ['not a valid DNS name', 'dot-separated labels'] },
  { host: `${'ab-'.repeat(21)}ab.example.com`, words: ['not a valid DNS name', 'dot-separated labels'] },
  { host: 'spiffe://', words: ['not a valid URI', 'absolute URI'] },
  { host: 'etcd@', words: ['not a valid email address', 'name@example.com'] },
  { host: `spiffe://cluster/${'x'.repeat(2000)}`, words: ['characters long', 'at most 1024'] },
];

const hostCases: HostileCase[] = HOST_DEFECTS.flatMap(({ host, words }, index) => {
  const command = CSR_COMMANDS[index % CSR_COMMANDS.length]!;
  return [
    {
      name: `${command.name} refuses host ${JSON.stringify(host.length > 40 ? `${host.slice(0, 30)}...` : host)} in the CSR JSON`,
      args: command.args('hosts-csr.json'),
      files: { 'hosts-csr.json': withHosts('etcd1.example.com', host) },
      exit: EXIT.input,
      words: ['hosts-csr.json', 'hosts[1]', ...words],
    },
  ];
});

const hostnameFlagCases: HostileCase[] = [
  {
    name: 'gencert -hostname refuses a host with a space',
    args: gencert('-profile', 'peer', '-hostname', 'etcd1,etcd 2', 'csr.json'),
    exit: EXIT.input,
    words: ['-hostname', '"etcd 2"', 'remove the spaces'],
  },
  {
    name: 'gencert -initca -hostname refuses a port',
    args: ['gencert', '-initca', '-hostname', '10.0.0.1:2379', 'csr.json'],
    exit: EXIT.input,
    words: ['-hostname', 'includes a port', 'write "10.0.0.1"'],
  },
  {
    name: 'sign -hostname refuses a wildcard in the middle',
    args: sign('-profile', 'peer', '-hostname', 'a.*.example.com', 'leaf.csr'),
    exit: EXIT.input,
    words: ['-hostname', 'wildcard', 'leftmost label'],
  },
  {
    name: 'gencert -hostname refuses 1,001 hosts',
    args: gencert('-profile', 'peer', '-hostname', Array.from({ length: 1001 }, (_, i) => `h${i}.example.com`).join(','), 'csr.json'),
    exit: EXIT.input,
    words: ['-hostname', '1001 hosts', 'its own certificate'],
  },
];

const TRUNCATED = (name: string) => text(name).slice(0, 300);

const pemCases = (): HostileCase[] => [
  // The CA: -ca and -ca-key.
  {
    name: 'gencert refuses a truncated CA certificate',
    args: ['gencert', '-ca', 'bad.pem', '-ca-key', 'ca-key.pem', 'csr.json'],
    files: { 'bad.pem': TRUNCATED('ca.pem') },
    exit: EXIT.input,
    words: ['bad.pem', 'no END line', 'truncated'],
  },
  {
    name: 'gencert refuses a CA certificate with the wrong PEM label',
    args: ['gencert', '-ca', 'bad.pem', '-ca-key', 'ca-key.pem', 'csr.json'],
    files: { 'bad.pem': text('ca.pem').replace(/CERTIFICATE/g, 'X509 CRL') },
    exit: EXIT.input,
    words: ['bad.pem', '"X509 CRL"', 'expected one of: "CERTIFICATE"'],
  },
  {
    name: 'gencert refuses two certificates where one CA is expected',
    args: ['gencert', '-ca', 'two.pem', '-ca-key', 'ca-key.pem', 'csr.json'],
    files: { 'two.pem': text('ca.pem') + text('leaf.pem') },
    exit: EXIT.input,
    words: ['two.pem', '2 PEM blocks', 'its own file'],
  },
  {
    name: 'gencert refuses DER garbage as the CA certificate',
    args: ['gencert', '-ca', 'garbage.der', '-ca-key', 'ca-key.pem', 'csr.json'],
    files: { 'garbage.der': GARBAGE },
    exit: EXIT.input,
    words: ['garbage.der', 'could not be parsed', 'PEM'],
  },
  {
    name: 'gencert refuses an empty CA certificate file',
    args: ['gencert', '-ca', 'empty.pem', '-ca-key', 'ca-key.pem', 'csr.json'],
    files: { 'empty.pem': '' },
    exit: EXIT.input,
    words: ['empty.pem', 'the file is empty', 'CA certificate'],
  },
  {
    name: 'gencert refuses a CA key that does not match the CA certificate',
    args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'leaf-key.pem', '-bare', 'out', 'csr.json'],
    exit: EXIT.input,
    words: ['leaf-key.pem', 'does not match the CA certificate', 'ca.pem'],
  },
  {
    name: 'gencert refuses a leaf certificate as the CA',
    args: ['gencert', '-ca', 'leaf.pem', '-ca-key', 'leaf-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['leaf.pem', 'not a CA', 'root or intermediate CA'],
  },
  {
    name: 'gencert refuses an encrypted PKCS#8 CA key',
    args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'enc-pkcs8-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['enc-pkcs8-key.pem', 'encrypted', 'no passphrase', 'openssl pkey'],
  },
  {
    name: 'gencert refuses an encrypted SEC1 CA key',
    args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'enc-sec1-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['enc-sec1-key.pem', 'encrypted', 'openssl pkey'],
  },
  {
    name: 'gencert refuses a certificate given as the CA key',
    args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'ca.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['ca.pem', 'found a "CERTIFICATE" PEM block', 'private key'],
    labels: true,
  },
  {
    name: 'gencert refuses a key given as the CA certificate',
    args: ['gencert', '-ca', 'ca-key.pem', '-ca-key', 'ca-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['ca-key.pem', 'expected a certificate', '"CERTIFICATE"'],
    labels: true,
  },
  {
    name: 'gencert refuses a truncated CA key',
    args: ['gencert', '-ca', 'ca.pem', '-ca-key', 'bad-key.pem', 'csr.json'],
    files: { 'bad-key.pem': text('ca-key.pem').slice(0, 80) },
    exit: EXIT.input,
    words: ['bad-key.pem', 'no END line', 'truncated'],
  },
  {
    name: 'gencert refuses an RSA 1024 CA',
    args: ['gencert', '-ca', 'weak-ca.pem', '-ca-key', 'weak-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['weak-key.pem', '1024 bits', '2048 bits or more'],
  },
  {
    name: 'gencert refuses a missing CA certificate file',
    args: ['gencert', '-ca', 'nope.pem', '-ca-key', 'ca-key.pem', 'csr.json'],
    exit: EXIT.io,
    words: ['nope.pem', 'no such file', 'check the path'],
  },
  {
    name: 'gencert refuses a directory as the CA certificate',
    args: ['gencert', '-ca', 'dir', '-ca-key', 'ca-key.pem', 'csr.json'],
    setup: (d) => mkdirSync(join(d, 'dir')),
    exit: EXIT.io,
    words: ['dir', 'is a directory', 'path of a file'],
  },
  {
    name: 'gencert -initca -ca-key refuses an encrypted key',
    args: ['gencert', '-initca', '-ca-key', 'enc-pkcs8-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['enc-pkcs8-key.pem', 'encrypted', 'decrypt it first'],
  },
  {
    name: 'gencert -initca -ca-key refuses an RSA 1024 key',
    args: ['gencert', '-initca', '-ca-key', 'weak-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['weak-key.pem', '1024 bits', '2048'],
  },
  {
    name: 'gencert -initca -ca-key refuses a secp256k1 key',
    args: ['gencert', '-initca', '-ca-key', 'k1-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['k1-key.pem', 'secp256k1', 'P-256'],
  },
  {
    name: 'gencert reads only one input from standard input',
    args: ['gencert', '-ca', '-', '-ca-key', '-', 'csr.json'],
    stdin: text('ca.pem'),
    exit: EXIT.usage,
    words: ['standard input', '-ca or -ca-key as a file'],
  },
  // The request: sign.
  {
    name: 'sign refuses a request whose signature does not verify',
    args: sign('-profile', 'peer', 'badsig.csr'),
    exit: EXIT.input,
    words: ['badsig.csr', 'signature does not verify', 'generate it again'],
  },
  {
    name: 'sign refuses a truncated request',
    args: sign('-profile', 'peer', 'bad.csr'),
    files: { 'bad.csr': TRUNCATED('leaf.csr') },
    exit: EXIT.input,
    words: ['bad.csr', 'no END line', 'truncated'],
  },
  {
    name: 'sign refuses DER garbage as the request',
    args: sign('-profile', 'peer', 'garbage.der'),
    files: { 'garbage.der': GARBAGE },
    exit: EXIT.input,
    words: ['garbage.der', 'could not be parsed', 'CERTIFICATE REQUEST'],
  },
  {
    name: 'sign refuses a certificate given as the request',
    args: sign('-profile', 'peer', 'leaf.pem'),
    exit: EXIT.input,
    words: ['leaf.pem', 'found a "CERTIFICATE" PEM block', '"CERTIFICATE REQUEST"'],
  },
  {
    name: 'sign refuses two requests in one file',
    args: sign('-profile', 'peer', 'two.csr'),
    files: { 'two.csr': text('leaf.csr') + text('leaf.csr') },
    exit: EXIT.input,
    words: ['two.csr', '2 PEM blocks', 'its own file'],
  },
  {
    name: 'sign refuses a CSR JSON file given as the request',
    args: sign('-profile', 'peer', 'csr.json'),
    exit: EXIT.input,
    words: ['csr.json', 'could not be parsed', 'genkey wrote'],
  },
  {
    name: 'sign refuses an empty request from standard input',
    args: sign('-profile', 'peer', '-'),
    stdin: '',
    exit: EXIT.input,
    words: ['standard input', 'the file is empty', 'certificate request'],
  },
  {
    name: 'sign refuses a CA key that does not match',
    args: ['sign', '-ca', 'ca.pem', '-ca-key', 'leaf-key.pem', 'leaf.csr'],
    exit: EXIT.input,
    words: ['leaf-key.pem', 'does not match', 'ca.pem'],
  },
  {
    name: 'sign refuses an encrypted CA key',
    args: ['sign', '-ca', 'ca.pem', '-ca-key', 'enc-sec1-key.pem', 'leaf.csr'],
    exit: EXIT.input,
    words: ['enc-sec1-key.pem', 'encrypted', 'decrypt it first'],
  },
  // The key: gencsr -key.
  {
    name: 'gencsr refuses an encrypted key',
    args: ['gencsr', '-key', 'enc-pkcs8-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['enc-pkcs8-key.pem', 'encrypted', 'openssl pkey'],
  },
  {
    name: 'gencsr refuses DER garbage as the key',
    args: ['gencsr', '-key', 'garbage.der', 'csr.json'],
    files: { 'garbage.der': GARBAGE },
    exit: EXIT.input,
    words: ['garbage.der', 'could not be parsed', 'EC, RSA or Ed25519'],
  },
  {
    name: 'gencsr refuses a truncated key',
    args: ['gencsr', '-key', 'bad-key.pem', 'csr.json'],
    files: { 'bad-key.pem': text('leaf-key.pem').slice(0, 100) },
    exit: EXIT.input,
    words: ['bad-key.pem', 'no END line', 'truncated'],
  },
  {
    name: 'gencsr refuses a key whose base64 is corrupted',
    args: ['gencsr', '-key', 'bad-key.pem', 'csr.json'],
    files: { 'bad-key.pem': text('leaf-key.pem').replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!') },
    exit: EXIT.input,
    words: ['bad-key.pem', 'not valid base64', 'corrupted'],
    labels: true,
  },
  {
    name: 'gencsr refuses a certificate given as the key',
    args: ['gencsr', '-key', 'leaf.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['leaf.pem', 'expected a private key'],
    labels: true,
  },
  {
    name: 'gencsr refuses two keys in one file',
    args: ['gencsr', '-key', 'two-key.pem', 'csr.json'],
    files: { 'two-key.pem': text('leaf-key.pem') + text('ca-key.pem') },
    exit: EXIT.input,
    words: ['two-key.pem', '2 PEM blocks', 'its own file'],
  },
  {
    name: 'gencsr refuses an RSA 1024 key',
    args: ['gencsr', '-key', 'weak-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['weak-key.pem', '1024 bits', '2048'],
  },
  {
    name: 'gencsr refuses an Ed448 key',
    args: ['gencsr', '-key', 'ed448-key.pem', 'csr.json'],
    exit: EXIT.input,
    words: ['ed448-key.pem', 'ed448', 'ECDSA, RSA or Ed25519'],
  },
  {
    name: 'gencsr refuses an empty key file',
    args: ['gencsr', '-key', 'empty-key.pem', 'csr.json'],
    files: { 'empty-key.pem': '\n' },
    exit: EXIT.input,
    words: ['empty-key.pem', 'the file is empty', 'private key'],
  },
  // certinfo.
  {
    name: 'certinfo refuses a truncated certificate',
    args: ['certinfo', '-cert', 'bad.pem'],
    files: { 'bad.pem': TRUNCATED('leaf.pem') },
    exit: EXIT.input,
    words: ['bad.pem', 'no END line', 'truncated'],
  },
  {
    name: 'certinfo refuses DER garbage',
    args: ['certinfo', '-cert', 'garbage.der'],
    files: { 'garbage.der': GARBAGE },
    exit: EXIT.input,
    words: ['garbage.der', 'could not be parsed', 'PEM'],
  },
  {
    name: 'certinfo refuses a request given as -cert',
    args: ['certinfo', '-cert', 'leaf.csr'],
    exit: EXIT.input,
    words: ['leaf.csr', '"CERTIFICATE REQUEST"', 'expected one of: "CERTIFICATE"'],
  },
  {
    name: 'certinfo refuses two certificates',
    args: ['certinfo', '-cert', 'two.pem'],
    files: { 'two.pem': text('ca.pem') + text('leaf.pem') },
    exit: EXIT.input,
    words: ['two.pem', '2 PEM blocks', 'its own file'],
  },
  {
    name: 'certinfo refuses a key given as -cert, naming only its label',
    args: ['certinfo', '-cert', 'leaf-key.pem'],
    exit: EXIT.input,
    words: ['leaf-key.pem', 'expected a certificate'],
    labels: true,
  },
  {
    name: 'certinfo refuses an empty file',
    args: ['certinfo', '-cert', 'empty.pem'],
    files: { 'empty.pem': '' },
    exit: EXIT.input,
    words: ['empty.pem', 'the file is empty', 'certificate'],
  },
  {
    name: 'certinfo refuses a missing file',
    args: ['certinfo', '-cert', 'nope.pem'],
    exit: EXIT.io,
    words: ['nope.pem', 'no such file', 'check the path'],
  },
  {
    name: 'certinfo -csr refuses DER garbage',
    args: ['certinfo', '-csr', 'garbage.der'],
    files: { 'garbage.der': GARBAGE },
    exit: EXIT.input,
    words: ['garbage.der', 'could not be parsed', 'CERTIFICATE REQUEST'],
  },
  {
    name: 'certinfo -csr refuses a certificate',
    args: ['certinfo', '-csr', 'leaf.pem'],
    exit: EXIT.input,
    words: ['leaf.pem', 'found a "CERTIFICATE" PEM block', '"CERTIFICATE REQUEST"'],
  },
  {
    name: 'certinfo refuses a certificate whose signature bytes are cut off',
    args: ['certinfo', '-cert', 'cut.pem'],
    files: { 'cut.pem': cutDer(text('leaf.pem')) },
    exit: EXIT.input,
    words: ['cut.pem', 'could not be parsed', 'PEM'],
  },
];

const GARBAGE = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 41) % 256));

/** The PEM object with its DER cut in half (valid base64, broken ASN.1). */
function cutDer(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  const half = der.subarray(0, Math.floor(der.length / 2) - (Math.floor(der.length / 2) % 3));
  return `-----BEGIN CERTIFICATE-----\n${half
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

const jsonCases = (): HostileCase[] => {
  const issued = JSON.parse(text('issued.json')) as Record<string, string>;
  const json = (value: unknown) => JSON.stringify(value);
  return [
    {
      name: 'json refuses truncated input',
      args: ['json', '-bare', 'out'],
      stdin: text('issued.json').slice(0, 100),
      exit: EXIT.input,
      words: ['standard input', 'truncated'],
    },
    {
      name: 'json refuses trailing garbage',
      args: ['json', '-bare', 'out'],
      stdin: `${text('issued.json')}]`,
      exit: EXIT.input,
      words: ['standard input', 'after the end of the JSON value', 'remove the trailing text'],
    },
    {
      name: 'json refuses a byte order mark',
      args: ['json', '-bare', 'out'],
      stdin: `\ufeff${text('issued.json')}`,
      exit: EXIT.input,
      words: ['standard input', 'byte order mark'],
    },
    {
      name: 'json refuses a number for "cert"',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: 5 }),
      exit: EXIT.input,
      words: ['standard input', 'cert:', 'must be a string of PEM text'],
    },
    {
      name: 'json refuses an array',
      args: ['json', '-bare', 'out'],
      stdin: '[]',
      exit: EXIT.input,
      words: ['standard input', 'expected a JSON object', 'gencert'],
    },
    {
      name: 'json refuses empty input',
      args: ['json', '-bare', 'out'],
      stdin: '',
      exit: EXIT.input,
      words: ['standard input', 'the file is empty'],
    },
    {
      name: 'json refuses an API response that failed',
      args: ['json', 'out'],
      stdin: json({ success: false, errors: [{ code: 5300, message: 'policy' }] }),
      exit: EXIT.input,
      words: ['standard input', 'success', 'reports failure', 'before the pipe'],
    },
    {
      name: 'json refuses an API response whose result is not an object',
      args: ['json', 'out'],
      stdin: json({ success: true, result: 'x' }),
      exit: EXIT.input,
      words: ['standard input', 'result', 'expected a JSON object'],
    },
    {
      name: 'json refuses input with nothing to write',
      args: ['json', '-bare', 'out'],
      stdin: json({ foo: 'bar' }),
      exit: EXIT.input,
      words: ['standard input', 'no certificate, request or key', 'pipe the output'],
    },
    {
      name: 'json refuses a "cert" that is not PEM',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: 'not a certificate' }),
      exit: EXIT.input,
      words: ['standard input', 'cert:', 'not PEM', 'unchanged'],
    },
    {
      name: 'json refuses a truncated "key" before writing anything',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: issued.cert, key: issued.key!.slice(0, 90) }),
      exit: EXIT.input,
      words: ['standard input', 'key:', 'no END line', 'truncated'],
    },
    {
      name: 'json refuses a key in "cert"',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: issued.key }),
      exit: EXIT.input,
      words: ['standard input', 'cert:', 'expected a certificate'],
      labels: true,
    },
    {
      name: 'json refuses a "key" that does not belong to "cert"',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: issued.cert, key: text('ca-key.pem') }),
      exit: EXIT.input,
      words: ['standard input', 'key:', 'does not belong to the certificate', 'one gencert'],
    },
    {
      name: 'json refuses a "csr" that does not parse',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: issued.cert, csr: cutDer(issued.csr!).replace(/CERTIFICATE/g, 'CERTIFICATE REQUEST') }),
      exit: EXIT.input,
      words: ['standard input', 'csr:', 'could not be parsed'],
    },
    {
      name: 'json refuses a "cert" with two certificates',
      args: ['json', '-bare', 'out'],
      stdin: json({ cert: text('ca.pem') + text('leaf.pem') }),
      exit: EXIT.input,
      words: ['standard input', 'cert:', '2 PEM blocks'],
    },
    {
      name: 'json -f refuses a 17 MB file',
      args: ['json', '-f', 'huge.json', '-bare', 'out'],
      files: { 'huge.json': `{"pad": "${'x'.repeat(17 * 1024 * 1024)}"}` },
      exit: EXIT.io,
      words: ['huge.json', "larger than 4 MiB, the most cfssl's JSON output may be", 'right file'],
    },
    {
      name: 'json -f refuses binary data',
      args: ['json', '-f', 'ca-key.der', '-bare', 'out'],
      files: { 'ca-key.der': GARBAGE },
      exit: EXIT.input,
      words: ['ca-key.der', 'not a JSON file'],
    },
    {
      name: 'json -f refuses a missing file',
      args: ['json', '-f', 'nope.json', '-bare', 'out'],
      exit: EXIT.io,
      words: ['nope.json', 'no such file', 'check the path'],
    },
  ];
};

const bareNames = ['../escaped', '/tmp/etcd-pki-absolute', 'sub/name', '', '.', '..', 'a\\b', 'tab\there', 'x'.repeat(240)];
const pathCases = (): HostileCase[] => [
  ...bareNames.map((name) => ({
    name: `gencert -initca refuses -bare ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}...` : name)}`,
    args: ['gencert', '-initca', '-bare', name, 'csr.json'],
    exit: EXIT.input,
    words: [
      '-bare name',
      name === ''
        ? 'is empty'
        : name.length > 200
          ? 'longer than 200'
          : name.includes('\t')
            ? 'control characters'
            : name.startsWith('/')
              ? 'absolute path'
              : /[/\\]/.test(name)
                ? 'path separator'
                : 'not a file name',
    ],
  })),
  {
    name: 'genkey refuses -bare ../escaped',
    args: ['genkey', '-bare', '../escaped', 'csr.json'],
    exit: EXIT.input,
    words: ['-bare name "../escaped"', 'path separator', '-dir'],
  },
  {
    name: 'selfsign refuses -bare with an absolute path',
    args: ['selfsign', '-bare', '/etc/etcd-pki-x', 'csr.json'],
    exit: EXIT.input,
    words: ['-bare name', 'absolute path', '-dir'],
  },
  {
    name: 'gencert refuses -bare a/b',
    args: gencert('-profile', 'peer', '-bare', 'a/b', 'csr.json'),
    exit: EXIT.input,
    words: ['-bare name "a/b"', 'path separator'],
  },
  {
    name: 'sign refuses --out ../x',
    args: sign('-profile', 'peer', '--out', '../x', 'leaf.csr'),
    exit: EXIT.input,
    words: ['-bare name "../x"', 'path separator'],
  },
  {
    name: 'gencsr refuses -bare ..',
    args: ['gencsr', '-key', 'leaf-key.pem', '-bare', '..', 'csr.json'],
    exit: EXIT.input,
    words: ['-bare name ".."', 'not a file name'],
  },
  // cfssljson writes to a path (`-bare certs/ca`, issue 15); these name no file.
  ...['', '..', 'certs/'].map((name) => ({
    name: `json refuses the base name ${JSON.stringify(name)}`,
    args: ['json', '-f', 'issued.json', '-bare', name],
    exit: EXIT.input,
    words: ['base name', JSON.stringify(name)],
  })),
  {
    name: 'gencert -initca refuses -bare with a NUL byte',
    args: ['gencert', '-initca', '-bare', 'ca\0-key', 'csr.json'],
    inProcess: true,
    exit: EXIT.input,
    words: ['-bare name', '\\u0000', 'control characters'],
  },
  {
    name: 'json refuses a base name with a NUL byte',
    args: ['json', '-f', 'issued.json', '-bare', 'out\0/../../x'],
    inProcess: true,
    exit: EXIT.input,
    words: ['base name', 'control characters'],
  },
  // Symbolic links in the output directory.
  {
    name: 'gencert -initca refuses to write a key through a symlink',
    args: ['gencert', '-initca', '-bare', 'linked', 'csr.json'],
    setup: (d) => link(d, 'linked-key.pem', 'elsewhere/stolen-key.pem'),
    exit: EXIT.input,
    words: ['linked-key.pem', 'symbolic link', 'remove the link'],
  },
  {
    name: 'gencert -initca refuses to write a certificate through a symlink',
    args: ['gencert', '-initca', '-bare', 'linked', 'csr.json'],
    setup: (d) => link(d, 'linked.pem', 'elsewhere/linked.pem'),
    exit: EXIT.input,
    words: ['linked.pem', 'symbolic link'],
  },
  {
    name: 'genkey refuses to write a request through a symlink',
    args: ['genkey', '-bare', 'linked', 'csr.json'],
    setup: (d) => link(d, 'linked.csr', 'elsewhere/linked.csr'),
    exit: EXIT.input,
    words: ['linked.csr', 'symbolic link'],
  },
  {
    name: 'gencert refuses a dangling symlink where the key goes, even with --force',
    args: gencert('-profile', 'peer', '-bare', 'linked', '--force', 'csr.json'),
    setup: (d) => link(d, 'linked-key.pem', 'elsewhere/not-there.pem'),
    exit: EXIT.input,
    words: ['linked-key.pem', 'symbolic link'],
  },
  {
    name: 'selfsign refuses a symlinked key with --force',
    args: ['selfsign', '-bare', 'linked', '--force', 'csr.json'],
    setup: (d) => link(d, 'linked-key.pem', 'elsewhere/stolen-key.pem'),
    exit: EXIT.input,
    words: ['linked-key.pem', 'symbolic link'],
  },
  {
    name: 'json refuses to write a key through a symlink',
    args: ['json', '-f', 'issued.json', '-bare', 'linked'],
    setup: (d) => link(d, 'linked-key.pem', 'elsewhere/stolen-key.pem'),
    exit: EXIT.input,
    words: ['linked-key.pem', 'symbolic link'],
  },
  {
    name: 'json refuses to write a certificate through a symlink with --force',
    args: ['json', '-f', 'issued.json', '--force', '-bare', 'linked'],
    setup: (d) => link(d, 'linked.pem', 'elsewhere/linked.pem'),
    exit: EXIT.input,
    words: ['linked.pem', 'symbolic link'],
  },
  {
    name: 'sign refuses to write through a symlink',
    args: sign('-profile', 'peer', '-bare', 'linked', 'leaf.csr'),
    setup: (d) => link(d, 'linked.pem', 'elsewhere/linked.pem'),
    exit: EXIT.input,
    words: ['linked.pem', 'symbolic link'],
  },
  // Existing keys.
  {
    name: 'gencert -initca keeps an existing key without --force',
    args: ['gencert', '-initca', '-bare', 'ca', 'csr.json'],
    exit: EXIT.exists,
    words: ['ca-key.pem', 'refusing to overwrite an existing private key', '--force'],
  },
  {
    name: 'gencert keeps the CA key when -bare names the CA',
    args: gencert('-profile', 'peer', '-bare', 'ca', 'csr.json'),
    exit: EXIT.exists,
    words: ['ca-key.pem', 'existing private key', 'move it away'],
  },
  {
    name: 'genkey keeps an existing key without --force',
    args: ['genkey', '-bare', 'leaf', 'csr.json'],
    exit: EXIT.exists,
    words: ['leaf-key.pem', 'existing private key', '--force'],
  },
  {
    name: 'selfsign keeps an existing key without --force',
    args: ['selfsign', '-bare', 'leaf', 'csr.json'],
    exit: EXIT.exists,
    words: ['leaf-key.pem', 'existing private key'],
  },
  {
    name: 'genkey keeps an existing key in another -dir',
    args: ['genkey', '-dir', 'keys', '-bare', 'leaf', 'csr.json'],
    setup: (d) => cpSync(join(d, 'leaf-key.pem'), join(d, 'keys', 'leaf-key.pem'), { recursive: true }),
    exit: EXIT.exists,
    words: ['keys/leaf-key.pem', 'existing private key'],
  },
  {
    name: 'json keeps an existing, different key without --force',
    args: ['json', '-f', 'issued.json', '-bare', 'ca'],
    exit: EXIT.exists,
    words: ['ca-key.pem', 'existing private key', '--force'],
  },
  {
    name: 'json keeps an empty key file without --force',
    args: ['json', '-f', 'issued.json', '-bare', 'zero'],
    files: { 'zero-key.pem': '' },
    exit: EXIT.exists,
    words: ['zero-key.pem', 'existing private key'],
  },
  // An output directory that cannot be used (tests run as root, where modes do not stop writes).
  {
    name: 'gencert -initca reports a -dir that is a file before making a key',
    args: ['gencert', '-initca', '-dir', 'csr.json', '-bare', 'x', 'csr.json'],
    exit: EXIT.io,
    words: ['csr.json', 'is a file, not a directory', '-dir'],
  },
  {
    name: 'genkey reports a -dir below a file',
    args: ['genkey', '-dir', 'ca.pem/keys', '-bare', 'x', 'csr.json'],
    exit: EXIT.io,
    words: ['ca.pem/keys', 'part of its path is a file', '-dir'],
  },
  {
    name: 'gencert reports a -dir below a file',
    args: gencert('-profile', 'peer', '-dir', 'ca.pem/sub/deeper', '-bare', 'x', 'csr.json'),
    exit: EXIT.io,
    words: ['ca.pem/sub/deeper', 'part of its path is a file'],
  },
  {
    name: 'sign reports a -dir that is a file',
    args: sign('-profile', 'peer', '-dir', 'leaf.pem', '-bare', 'x', 'leaf.csr'),
    exit: EXIT.io,
    words: ['leaf.pem', 'not a directory'],
  },
  {
    name: 'gencsr reports a -dir below a file',
    args: ['gencsr', '-key', 'leaf-key.pem', '-dir', 'leaf.pem/x', '-bare', 'x', 'csr.json'],
    exit: EXIT.io,
    words: ['leaf.pem/x', 'part of its path is a file'],
  },
  {
    name: 'json reports a -dir that is a file',
    args: ['json', '-f', 'issued.json', '-dir', 'leaf.pem', '-bare', 'x'],
    exit: EXIT.io,
    words: ['leaf.pem', 'not a directory', '-dir'],
  },
  {
    name: 'json reports a -dir below a file',
    args: ['json', '-f', 'issued.json', '-dir', 'leaf.pem/new/dirs', '-bare', 'x'],
    exit: EXIT.io,
    words: ['leaf.pem', 'not a directory'],
  },
  {
    name: 'selfsign reports an output name taken by a directory',
    args: ['selfsign', '-bare', 'taken', 'csr.json'],
    setup: (d) => mkdirSync(join(d, 'taken.pem')),
    exit: EXIT.io,
    words: ['taken.pem', 'not a regular file', 'move it away'],
  },
];

function link(dir: string, name: string, target: string): void {
  mkdirSync(join(dir, 'elsewhere'), { recursive: true });
  symlinkSync(target, join(dir, name));
}

const usageCases: HostileCase[] = [
  {
    name: 'gencert without -ca is an error, not an empty success',
    args: ['gencert', '-ca-key', 'ca-key.pem', 'csr.json'],
    exit: EXIT.usage,
    words: ['need a CA certificate', 'with -ca'],
  },
  {
    name: 'gencert without -ca-key is an error',
    args: ['gencert', '-ca', 'ca.pem', 'csr.json'],
    exit: EXIT.usage,
    words: ['CA private key', '-ca-key'],
  },
  {
    name: 'gencert without -ca or -initca is an error',
    args: ['gencert', 'csr.json'],
    exit: EXIT.usage,
    words: ['need a CA certificate', '-ca'],
  },
  {
    name: 'sign without -ca-key is an error',
    args: ['sign', '-ca', 'ca.pem', 'leaf.csr'],
    exit: EXIT.usage,
    words: ['CA private key', '-ca-key'],
  },
  { name: 'gencsr without -key is an error', args: ['gencsr', 'csr.json'], exit: EXIT.usage, words: ['need the private key', '-key'] },
  {
    name: 'gencert refuses an unknown Go-style flag with its --help',
    args: ['gencert', '-initca', '-bogus', 'csr.json'],
    exit: EXIT.usage,
    words: ["unknown option '-bogus'", 'etcd-pki gencert --help'],
  },
  {
    name: 'gencert suggests -profile for -profil',
    args: gencert('-profil', 'peer', 'csr.json'),
    exit: EXIT.usage,
    words: ["unknown option '-profil'", 'did you mean -profile?'],
  },
  {
    name: 'sign suggests --hostname for --hostnme',
    args: sign('--hostnme', 'a', 'leaf.csr'),
    exit: EXIT.usage,
    words: ["unknown option '--hostnme'", 'did you mean --hostname?'],
  },
  {
    name: 'genkey refuses an unknown flag',
    args: ['genkey', '--initcaa', 'csr.json'],
    exit: EXIT.usage,
    words: ["unknown option '--initcaa'", 'did you mean --initca?'],
  },
  {
    name: 'certinfo refuses an unknown flag',
    args: ['certinfo', '-crt', 'leaf.pem'],
    exit: EXIT.usage,
    words: ["unknown option '-crt'", 'etcd-pki certinfo --help'],
  },
  {
    name: 'json refuses an unknown flag',
    args: ['json', '-stdot'],
    exit: EXIT.usage,
    words: ["unknown option '-stdot'", 'did you mean -stdout?'],
  },
  {
    name: 'an unknown command is refused with did-you-mean on one line',
    args: ['gencertt', 'csr.json'],
    exit: EXIT.usage,
    words: ["unknown command 'gencertt'", 'did you mean gencert?', 'etcd-pki --help'],
  },
  {
    name: 'gencert without its CSR JSON argument is an error',
    args: ['gencert', '-initca'],
    exit: EXIT.usage,
    words: ["missing required argument 'csrjson'", 'etcd-pki gencert --help'],
  },
  {
    name: 'selfsign with three arguments is an error',
    args: ['selfsign', 'a', 'b', 'c'],
    exit: EXIT.usage,
    words: ['[HOSTNAME] CSRJSON', 'selfsign example.com csr.json'],
  },
  {
    name: '--key-format refuses an unknown format',
    args: ['genkey', '--key-format', 'pem', 'csr.json'],
    exit: EXIT.usage,
    words: ["argument 'pem' is invalid", 'cfssl, pkcs8'],
  },
  { name: 'certinfo needs -cert or -csr', args: ['certinfo'], exit: EXIT.usage, words: ['exactly one of -cert or -csr', 'certinfo -cert'] },
  {
    name: 'certinfo refuses -cert and -csr together',
    args: ['certinfo', '-cert', 'leaf.pem', '-csr', 'leaf.csr'],
    exit: EXIT.usage,
    words: ['exactly one of -cert or -csr'],
  },
  {
    name: 'certinfo -domain is refused with what to use instead',
    args: ['certinfo', '-domain', 'etcd1.example.com'],
    exit: EXIT.input,
    words: ['-domain is not supported', 'openssl s_client'],
  },
  {
    name: 'print-defaults refuses an unknown kind',
    args: ['print-defaults', 'cnofig'],
    exit: EXIT.usage,
    words: ['no defaults for "cnofig"', 'did you mean "config"'],
  },
];

/** --json-errors: the same failures as one line of cfssl's JSON. */
const jsonErrorCases: HostileCase[] = [
  {
    name: '--json-errors prints a usage error as one JSON line',
    args: ['--json-errors', 'gencert', '-initca', '-bogus', 'csr.json'],
    exit: EXIT.usage,
    words: ['"code":7000', "unknown option '-bogus'"],
  },
  {
    name: '--json-errors prints an input error as one JSON line',
    args: ['gencert', '-initca', 'bad.json', '--json-errors'],
    files: { 'bad.json': '{"CN": 5}' },
    exit: EXIT.input,
    words: ['"code":9002', 'bad.json: CN: must be a string'],
  },
  {
    name: '--json-errors prints a refused key overwrite as one JSON line',
    args: ['--json-errors', 'genkey', '-bare', 'leaf', 'csr.json'],
    exit: EXIT.exists,
    words: ['"code":1001', 'leaf-key.pem'],
  },
];

/** A file name with a newline and an escape sequence cannot forge a second line or drive the terminal. */
const forgeryCases: HostileCase[] = [
  {
    name: 'a file name with a newline stays on one line',
    args: ['gencert', '-initca', 'evil\netcd-pki: all good.json'],
    exit: EXIT.io,
    words: ['evil\\u000aetcd-pki: all good.json', 'no such file'],
  },
  {
    name: 'a host with an escape sequence is printed escaped',
    args: ['gencert', '-initca', 'esc.json'],
    files: { 'esc.json': withHosts('\u001b[2Jetcd1') },
    exit: EXIT.input,
    words: ['esc.json', 'hosts[0]', '\\u001b'],
  },
  {
    name: 'a 10,000-character key name is shortened in the message',
    args: ['genkey', 'long.json'],
    files: { 'long.json': `{"CN": "a", "${'k'.repeat(10_000)}": 1}` },
    exit: EXIT.input,
    words: ['long.json', 'unknown key', '(10000 characters)', 'accepted values'],
  },
];

function runCli(
  args: readonly string[],
  cwd: string,
  stdin: string | Uint8Array | undefined,
  inProcess: boolean,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const loader = join(cli, '..', 'cli-bundle.cjs');
    // argv cannot carry NUL bytes; main() can, so these cases pass their arguments as JSON on stdin.
    const child = inProcess
      ? spawn(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const { main } = (await import(${JSON.stringify(loader)})).loadCliBundle().exports; let s = ''; for await (const c of process.stdin) s += c; process.exitCode = await main(JSON.parse(s), { stdin: async () => new Uint8Array() });`,
          ],
          { cwd },
        )
      : spawn(process.execPath, [cli, ...args], { cwd });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(inProcess ? JSON.stringify(args) : (stdin ?? ''));
  });
}

let caseNumber = 0;

async function check(c: HostileCase, expect: ExpectStatic): Promise<void> {
  const dir = join(work, `case-${++caseNumber}`);
  cpSync(kit, dir, { recursive: true });
  mkdirSync(join(dir, 'keys'));
  for (const [name, contents] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), contents);
  c.setup?.(dir);
  const before = snapshot(dir);
  const result = await runCli(c.args, dir, c.stdin, c.inProcess ?? false);
  const context = `etcd-pki ${c.args.map((a) => (a.length > 60 ? `${a.slice(0, 60)}...` : a)).join(' ')}\nstderr: ${result.stderr.slice(0, 2000)}`;
  expect(result.status, context).toBe(c.exit);
  expect(result.stdout, context).toBe('');
  expect(result.stderr.endsWith('\n'), context).toBe(true);
  const lines = result.stderr.slice(0, -1).split('\n');
  expect(lines, context).toHaveLength(1);
  const line = lines[0]!;
  if (c.args.includes('--json-errors')) {
    const parsed = JSON.parse(line) as { code: unknown; message: unknown };
    expect(typeof parsed.code, context).toBe('number');
    expect(typeof parsed.message, context).toBe('string');
  } else {
    expect(line, context).toMatch(/^etcd-pki: \S/);
  }
  for (const word of c.words) expect(line, context).toContain(word);
  expect(line, context).not.toMatch(/internal error|\bat .*:\d+:\d+|[A-Z]\w*Error\b/);
  expect(line.length, context).toBeLessThan(600);
  assertNoKeyMaterial(expect, result.stdout + result.stderr, c.labels ?? false);
  expect(snapshot(dir), `${context}\nthe directory changed`).toEqual(before);
  expect(existsSync(join(dir, 'elsewhere')) ? readdirSync(join(dir, 'elsewhere')) : [], context).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
}

// Issue 18, second round: internal errors on user input, files damaged without --force, and
// clusters no etcd runs.
const members = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `m${i}`, hosts: [`10.9.${i >> 8}.${i & 255}`] }));
const issuedBy = (cert: string) => JSON.stringify({ cert });
const round2Cases: HostileCase[] = [
  ...['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'].map((profile) => ({
    name: `gencert refuses -profile ${profile} as an unknown profile, not an internal error`,
    args: gencert('-profile', profile, 'csr.json'),
    exit: EXIT.input,
    words: ['ca-config.json', `unknown profile "${profile}"`, '"peer"'],
  })),
  {
    name: 'gencert -initca refuses ca.pathlen 2^60',
    args: ['gencert', '-initca', 'big.json'],
    files: { 'big.json': csrWith({ ca: { pathlen: 2 ** 60 } }) },
    exit: EXIT.input,
    words: ['big.json', 'ca.pathlen', '2147483647'],
  },
  {
    name: 'gencert refuses a profile with max_path_len 2^60',
    args: withCa('gencert', 'big-config.json', ['-profile', 'peer', 'csr.json']),
    files: { 'big-config.json': peerWith({ ca_constraint: { is_ca: true, max_path_len: 2 ** 60 } }) },
    exit: EXIT.input,
    words: ['big-config.json', 'max_path_len', '2147483647'],
  },
  {
    name: 'gencert -initca refuses ca.expiry 9999999999h as Go does',
    args: ['gencert', '-initca', 'long.json'],
    files: { 'long.json': csrWith({ ca: { expiry: '9999999999h' } }) },
    exit: EXIT.input,
    words: ['long.json', 'ca.expiry', 'invalid duration "9999999999h"', '2562047h'],
  },
  {
    name: 'gencert refuses a profile expiry of 9999999999h as Go does',
    args: withCa('gencert', 'long-config.json', ['-profile', 'peer', 'csr.json']),
    files: { 'long-config.json': peerWith({ expiry: '9999999999h' }) },
    exit: EXIT.input,
    words: ['long-config.json', 'signing.profiles.peer.expiry', 'invalid duration'],
  },
  {
    name: 'cluster-bundle refuses -ca-expiry 9999999999h',
    args: ['cluster-bundle', '-member', 'a=10.0.0.1', '-ca-expiry', '9999999999h', '-out', 'out'],
    exit: EXIT.input,
    words: ['expiry.ca', 'invalid duration "9999999999h"'],
  },
  {
    name: 'cluster-bundle refuses -ca-expiry 0s',
    args: ['cluster-bundle', '-member', 'a=10.0.0.1', '-ca-expiry', '0s', '-out', 'out'],
    exit: EXIT.input,
    words: ['expiry.ca', '"0s" is zero', 'positive'],
  },
  // Files damaged without --force.
  {
    name: 'sign -bare ca keeps the -ca certificate it signs with',
    args: sign('-profile', 'peer', '-bare', 'ca', 'other.csr'),
    exit: EXIT.exists,
    words: ['ca.pem', "this run's own input (-ca)", '--force'],
  },
  {
    name: 'gencert -bare ca keeps the -ca certificate even where its key is elsewhere',
    args: [
      'gencert',
      '-ca',
      'ca.pem',
      '-ca-key',
      'keys/ca-key.pem',
      '-config',
      'ca-config.json',
      '-profile',
      'peer',
      '-bare',
      'ca',
      'csr.json',
    ],
    setup: (d) => cpSync(join(d, 'ca-key.pem'), join(d, 'keys', 'ca-key.pem')),
    files: {},
    exit: EXIT.exists,
    words: ['ca-key.pem', 'existing private key'],
  },
  {
    name: 'json -bare ca does not replace ca.pem with a certificate of another key',
    args: ['json', '-bare', 'ca'],
    stdin: issuedBy(text('leaf.pem')),
    exit: EXIT.exists,
    words: ['ca.pem', 'another public key', '--force'],
  },
  {
    name: 'sign -bare NAME does not replace NAME.pem of another key without --force',
    args: sign('-profile', 'peer', '-bare', 'leaf', 'other.csr'),
    exit: EXIT.exists,
    words: ['leaf.pem', 'another public key', '--force'],
  },
  {
    name: 'cluster-bundle refuses -out /',
    args: ['cluster-bundle', '-member', 'a=10.0.0.1', '-out', '/'],
    exit: EXIT.input,
    words: ['/', 'root directory', '-out'],
  },
  {
    name: 'cluster-bundle refuses -out over a directory that is not a bundle',
    args: ['cluster-bundle', '-member', 'a=10.0.0.1', '-out', 'notabundle'],
    setup: (d) => {
      mkdirSync(join(d, 'notabundle'));
      writeFileSync(join(d, 'notabundle', 'install.sh'), 'echo mine\n');
    },
    exit: EXIT.exists,
    words: ['notabundle', 'not a bundle', 'manifest.json', '--force'],
  },
  // Names cfssl issues although they are unusable or dangerous (docs: stricter than cfssl).
  ...(
    [
      ['a CN with a newline', { CN: 'etcd1\netcd-pki: OK' }, 'CN:', 'a control character (\\u000a)'],
      ['a CN with a NUL (null-prefix attack)', { CN: 'evil.example.com\u0000.good.example.com' }, 'CN:', 'a NUL character'],
      ['a CN with a lone surrogate', { CN: 'etcd\ud800' }, 'CN:', 'a lone UTF-16 surrogate'],
      ['an O with a control character', { CN: 'a', names: [{ O: 'etcd\u0007' }] }, 'names[0].O', 'a control character (\\u0007)'],
      ['C "USA"', { CN: 'a', names: [{ C: 'USA' }] }, 'names[0].C', 'two-letter code'],
      ['a 10 KB serialnumber', { CN: 'a', serialnumber: '1'.repeat(10_240) }, 'serialnumber', 'at most 64'],
    ] as const
  ).map(([defect, json, path, words]) => ({
    name: `gencert refuses ${defect}`,
    args: gencert('-profile', 'peer', 'name.json'),
    files: { 'name.json': JSON.stringify({ ...json, key: { algo: 'ecdsa', size: 256 } }) },
    exit: EXIT.input,
    words: ['name.json', path, words],
  })),
  {
    name: 'gencert refuses -cn with a newline',
    args: gencert('-profile', 'peer', '-cn', 'etcd1\nforged', 'csr.json'),
    exit: EXIT.input,
    words: ['-cn', 'a control character'],
  },
  ...(
    [
      ['1.2.3.4.5', 'an IPv4 address is four numbers'],
      ['256.1.1.1', 'an IPv4 address is four numbers'],
      ['010.0.0.1', 'write "10.0.0.1" without leading zeros'],
    ] as const
  ).map(([host, hint]) => ({
    name: `gencert refuses host ${host}, which cfssl writes as a DNS name`,
    args: gencert('-profile', 'peer', 'h.json'),
    files: { 'h.json': withHosts(host) },
    exit: EXIT.input,
    words: ['h.json', 'hosts[0]', 'looks like an IPv4 address', hint],
  })),
  // cfssl 1.6.5 signs it with SANs "", "", "", " ": a certificate naming no host, with a dNSName RFC
  // 5280 forbids; refused (docs/cfssl-compatibility.md). "a,,b" is issued as cfssl issues it.
  {
    name: 'sign refuses -hostname ",,, "',
    args: sign('-profile', 'peer', '-hostname', ',,, ', 'other.csr'),
    exit: EXIT.input,
    words: ['-hostname', 'names no host'],
  },
  ...Object.entries({
    space: 'contains white space',
    port: 'includes a port',
    cidr: 'is a CIDR range',
    wildcard: 'wildcard that TLS clients will not match',
    fifthpart: 'looks like an IPv4 address',
  }).map(([name, words]) => ({
    name: `sign refuses a request whose SAN ${words}`,
    args: sign('-profile', 'peer', `san-${name}.csr`),
    exit: EXIT.input,
    words: [`san-${name}.csr`, words],
  })),
  {
    name: 'gencert refuses a CA certificate without keyCertSign, whose certificates openssl rejects',
    args: [
      'gencert',
      '-ca',
      'nocertsign.pem',
      '-ca-key',
      'nocertsign-key.pem',
      '-config',
      'ca-config.json',
      '-profile',
      'peer',
      'csr.json',
    ],
    exit: EXIT.input,
    words: ['nocertsign.pem', 'lacks keyCertSign', '"cert sign"'],
  },
  {
    name: 'sign refuses a request with 10,000 SANs',
    args: sign('-profile', 'peer', 'san-10000.csr'),
    exit: EXIT.input,
    words: ['san-10000.csr', '10000 SANs', '1000'],
  },
  // Clusters no etcd runs.
  {
    name: 'cluster-bundle refuses 1,001 members',
    args: ['cluster-bundle', '-config', 'big-cluster.json', '-out', 'out'],
    files: { 'big-cluster.json': JSON.stringify({ members: members(1001) }) },
    exit: EXIT.input,
    words: ['big-cluster.json', '1001 members', '1000', '3, 5 or 7'],
  },
  {
    name: 'cluster-bundle refuses 10,000 members at once',
    args: ['cluster-bundle', '-config', 'huge-cluster.json', '-out', 'out'],
    files: { 'huge-cluster.json': JSON.stringify({ members: members(10_000) }) },
    exit: EXIT.input,
    words: ['huge-cluster.json', '10000 members'],
  },
  {
    name: 'cluster-bundle refuses 1,001 clients',
    args: ['cluster-bundle', '-config', 'clients.json', '-out', 'out'],
    files: {
      'clients.json': JSON.stringify({ members: members(3), clients: Array.from({ length: 1001 }, (_, i) => ({ name: `c${i}` })) }),
    },
    exit: EXIT.input,
    words: ['clients.json', '1001 clients', '1000'],
  },
];

const CASES: readonly HostileCase[] = [
  ...round2Cases,
  ...csrJsonCases,
  ...configCases,
  ...policyCases,
  ...hostCases,
  ...hostnameFlagCases,
  ...pemCases(),
  ...jsonCases(),
  ...pathCases(),
  ...usageCases,
  ...jsonErrorCases,
  ...forgeryCases,
];

describe('hostile input', () => {
  it('has at least 150 cases, each with a distinct name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  describe.concurrent('gets one clear error line, a documented exit status, and leaves the directory as it was', () => {
    it.for(CASES.map((c) => [c.name, c] as const))('%s', ([, c], { expect }) => check(c, expect));
  });
});

describe('a run stopped by SIGINT or SIGTERM', () => {
  const COMMANDS = [
    ['gencert', '-initca', '-dir', 'out/new', '-bare', 'ca', 'csr.json'],
    ['json', '-f', 'issued.json', '-dir', 'out/new', '-bare', 'ca'],
  ] as const;
  const RUNS = 24;

  /** One run with `signal` sent after `delay` ms; what it left in out/. */
  async function interrupted(
    index: number,
    delay: number,
  ): Promise<{ status: number | null; killed: string | null; stderr: string; left: Record<string, string> }> {
    const dir = join(work, `interrupted-${index}`);
    cpSync(kit, dir, { recursive: true });
    mkdirSync(join(dir, 'out'));
    const child = spawn(process.execPath, [cli, ...COMMANDS[index % COMMANDS.length]!], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill(index % 4 < 2 ? 'SIGINT' : 'SIGTERM'), delay);
    const [status, killed] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('close', (code, signal) => resolve([shellStatus(code, signal), signal])),
    );
    clearTimeout(timer);
    const left = snapshot(join(dir, 'out'));
    rmSync(dir, { recursive: true, force: true });
    return { status, killed, stderr: Buffer.concat(err).toString('utf8'), left };
  }

  it(`leaves the output directory as it was or complete, never a temp file (${RUNS} runs)`, async () => {
    const started = Date.now();
    const whole = await interrupted(1000, 60_000);
    const duration = Date.now() - started;
    expect(whole.status).toBe(0);
    const outcomes: string[] = [];
    // One run at a time, so each takes as long as the measured one; the signal times are spread
    // over the whole run (stratified), so some land in key generation and some in the write.
    for (let index = 0; index < RUNS; index++) {
      const { status, killed, stderr, left } = await interrupted(index, ((index + Math.random()) / RUNS) * duration * 1.1);
      const context = `run ${index}: status ${status}, signal ${killed}\n${stderr}\n${JSON.stringify(left, null, 1)}`;
      expect([0, EXIT.interrupted, EXIT.terminated, null], context).toContain(status);
      const names = Object.keys(left);
      expect(
        names.filter((name) => /\.tmp$|probe/.test(name)),
        context,
      ).toEqual([]);
      // As it was (nothing), or complete: the key (0600, not empty) with its certificate.
      if (names.length > 0) {
        expect(names, context).toEqual(expect.arrayContaining(['new', 'new/ca-key.pem', 'new/ca.pem']));
        expect(left['new/ca-key.pem'], context).toMatch(/^file 600 [1-9]/);
        expect(left['new/ca.pem'], context).toMatch(/^file 644 [1-9]/);
      }
      // A signal before main() has installed its handlers ends the process with nothing written
      // and nothing to say (status 130/143 from the signal itself, stderr empty).
      if ((status === EXIT.interrupted || status === EXIT.terminated) && stderr !== '') {
        // The signal may land after the last file was written and before the process exits: the
        // files it reported are then complete, and the run still ends as interrupted.
        // A signal after main() has finished and removed its handlers ends the process by the
        // signal's default action: every file was written whole, and there is nothing to say.
        const lines = stderr.split('\n');
        expect(lines.pop(), context).toBe('');
        if (!/^etcd-pki: interrupted/.test(lines.at(-1) ?? '')) expect(names.length, context).toBeGreaterThan(0);
        else expect(lines.pop(), context).toMatch(/^etcd-pki: interrupted \(SIG(INT|TERM)\); no partial file was left$/);
        for (const line of lines) expect(left[line.replace(/^wrote out\//, '')], context).toMatch(/^file 6[04][04] [1-9]/);
      }
      outcomes.push(`${status ?? killed}:${names.length > 0 ? 'complete' : 'as it was'}`);
    }
    expect(outcomes).toHaveLength(RUNS);
  });
});
