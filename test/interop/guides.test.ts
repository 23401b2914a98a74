/**
 * Issue 15: three public cfssl guides for etcd replayed as they are written, with `etcd-pki` in
 * the place of `cfssl` and `cfssljson` (PATH shims), and again with the real cfssljson 1.6.5 after
 * etcd-pki; each run is compared field by field with the same guide run by cfssl 1.6.5, and its
 * certificates are verified with openssl. Inputs: fixtures/guides (README.md names the sources)
 * and fixtures/seed.
 */
import { chmodSync, copyFileSync, cpSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { requireCfssl165 } from '../support/cfssl.js';
import { decodePem } from '../support/corpus.js';
import { FIXTURES } from '../support/fixtures.js';
import { opensslVerify } from '../support/openssl.js';
import { run } from '../support/run.js';
import { useTempDir } from '../support/temp.js';

/** A guide step: a shell command as the guide writes it, or the user's edit of a file it made. */
type Step = { readonly sh: string } | { readonly edit: string; readonly from: string };

interface Guide {
  readonly name: string;
  readonly steps: readonly Step[];
  /** Certificates to check: file, the CA file, openssl purposes. */
  readonly certificates: ReadonlyArray<{ readonly file: string; readonly ca: string; readonly purposes: readonly string[] }>;
}

const coreos = (file: string) => ({ edit: file, from: `guides/coreos/${file}` });
const seed = (file: string) => ({ edit: file, from: `seed/${file}` });

// coreos/docs os/generate-self-signed-certificates.md, its commands in order (the download step
// aside). Each certificate has two recipes, with a CSR JSON file "or without": two replays.
const COREOS_CA: Step[] = [
  { sh: 'cfssl print-defaults config > ca-config.json' },
  { sh: 'cfssl print-defaults csr > ca-csr.json' },
  coreos('ca-config.json'),
  coreos('ca-csr.json'),
  { sh: 'cfssl gencert -initca ca-csr.json | cfssljson -bare ca -' },
];
const COREOS_CERTIFICATES = [
  { file: 'server.pem', ca: 'ca.pem', purposes: ['sslserver'] },
  { file: 'member1.pem', ca: 'ca.pem', purposes: ['sslserver', 'sslclient'] },
  { file: 'client.pem', ca: 'ca.pem', purposes: ['sslclient'] },
];
const COREOS: Guide = {
  name: 'the CoreOS guide "Generate self-signed certificates", with CSR JSON files',
  steps: [
    ...COREOS_CA,
    { sh: 'cfssl print-defaults csr > server.json' },
    coreos('server.json'),
    { sh: 'cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=server server.json | cfssljson -bare server' },
    { sh: 'cfssl print-defaults csr > member1.json' },
    coreos('member1.json'),
    { sh: 'cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=peer member1.json | cfssljson -bare member1' },
    { sh: 'cfssl print-defaults csr > client.json' },
    coreos('client.json'),
    { sh: 'cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=client client.json | cfssljson -bare client' },
  ],
  certificates: COREOS_CERTIFICATES,
};
const COREOS_WITHOUT_FILES: Guide = {
  name: 'the CoreOS guide, "or without CSR json file", and its TLDR',
  steps: [
    ...COREOS_CA,
    {
      sh: `echo '{"CN":"coreos1","hosts":[""],"key":{"algo":"rsa","size":2048}}' | cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=server -hostname="192.168.122.68,ext.example.com,coreos1.local,coreos1" - | cfssljson -bare server`,
    },
    {
      sh: `echo '{"CN":"member1","hosts":[""],"key":{"algo":"rsa","size":2048}}' | cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=peer -hostname="192.168.122.101,ext.example.com,member1.local,member1" - | cfssljson -bare member1`,
    },
    {
      sh: `echo '{"CN":"client","hosts":[""],"key":{"algo":"rsa","size":2048}}' | cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json -profile=client - | cfssljson -bare client`,
    },
    // TLDR, in a folder of its own.
    { sh: 'mkdir tldr' },
    { sh: `cd tldr && echo '{"CN":"CA","key":{"algo":"rsa","size":2048}}' | cfssl gencert -initca - | cfssljson -bare ca -` },
    {
      sh: `cd tldr && echo '{"signing":{"default":{"expiry":"43800h","usages":["signing","key encipherment","server auth","client auth"]}}}' > ca-config.json`,
    },
    {
      sh: `cd tldr && export ADDRESS=192.168.122.68,ext1.example.com,coreos1.local,coreos1 && export NAME=server && echo '{"CN":"'$NAME'","hosts":[""],"key":{"algo":"rsa","size":2048}}' | cfssl gencert -config=ca-config.json -ca=ca.pem -ca-key=ca-key.pem -hostname="$ADDRESS" - | cfssljson -bare $NAME`,
    },
    {
      sh: `cd tldr && export ADDRESS= && export NAME=client && echo '{"CN":"'$NAME'","hosts":[""],"key":{"algo":"rsa","size":2048}}' | cfssl gencert -config=ca-config.json -ca=ca.pem -ca-key=ca-key.pem -hostname="$ADDRESS" - | cfssljson -bare $NAME`,
    },
    {
      sh: 'openssl x509 -in tldr/ca.pem -text -noout && openssl x509 -in tldr/server.pem -text -noout && openssl x509 -in tldr/client.pem -text -noout',
    },
  ],
  certificates: [
    ...COREOS_CERTIFICATES,
    { file: 'tldr/server.pem', ca: 'tldr/ca.pem', purposes: ['sslserver', 'sslclient'] },
    { file: 'tldr/client.pem', ca: 'tldr/ca.pem', purposes: ['sslserver', 'sslclient'] },
  ],
};

// etcd's hack/tls-setup: the commands of its Makefile's `ca` and `req` targets.
const TLS_SETUP_REQ = (base: string) =>
  `cfssl gencert -ca certs/ca.pem -ca-key certs/ca-key.pem -config config/ca-config.json config/req-csr.json | cfssljson -bare certs/${base}`;
const TLS_SETUP_MEMBERS = ['9.145.89.120', '9.145.89.173', '9.145.89.225', 'peer-9.145.89.120', 'peer-9.145.89.173', 'peer-9.145.89.225'];
const TLS_SETUP: Guide = {
  name: "etcd's hack/tls-setup",
  steps: [
    { edit: 'config', from: 'guides/tls-setup/config' },
    { sh: 'mkdir -p certs' },
    { sh: 'cfssl gencert -initca config/ca-csr.json | cfssljson -bare certs/ca' },
    ...TLS_SETUP_MEMBERS.map((base) => ({ sh: TLS_SETUP_REQ(base) })),
  ],
  certificates: TLS_SETUP_MEMBERS.map((base) => ({ file: `certs/${base}.pem`, ca: 'certs/ca.pem', purposes: ['sslserver', 'sslclient'] })),
};

// The seed walkthrough (shared/seed/000_*.txt): its cfssl commands in order, each CSR JSON made
// with print-defaults and then edited as the walkthrough shows (fixtures/seed).
const SEED_GENCERT = 'cfssl gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json';
const SEED_LEAVES = [
  ['etcd1', 'server'],
  ['etcd2', 'server'],
  ['etcd3', 'server'],
  ['etcd', 'server'],
  ['etcdctl', 'client'],
  ['etcd1-peer', 'peer'],
  ['etcd2-peer', 'peer'],
  ['etcd3-peer', 'peer'],
] as const;
const SEED: Guide = {
  name: 'the seed walkthrough',
  steps: [
    { sh: 'cfssl print-defaults config > ca-config.json' },
    seed('ca-config.json'),
    { sh: 'cfssl print-defaults csr > rootca-csr.json' },
    seed('rootca-csr.json'),
    { sh: 'cfssl gencert -initca rootca-csr.json | cfssljson -bare rootca' },
    ...SEED_LEAVES.flatMap(([name, profile]) => [
      { sh: `cfssl print-defaults csr > ${name}-csr.json` },
      seed(`${name}-csr.json`),
      { sh: `${SEED_GENCERT} -profile=${profile} ${name}-csr.json | cfssljson -bare ${name}` },
    ]),
  ],
  certificates: SEED_LEAVES.map(([name, profile]) => ({
    file: `${name}.pem`,
    ca: 'rootca.pem',
    purposes: profile === 'server' ? ['sslserver'] : profile === 'client' ? ['sslclient'] : ['sslserver', 'sslclient'],
  })),
};

const tmp = useTempDir('etcd-pki-guides-');
let reference: { cfssl: string; cfssljson: string };
const paths: Record<'etcd-pki' | 'etcd-pki, real cfssljson' | 'cfssl 1.6.5', string> = {
  'etcd-pki': '',
  'etcd-pki, real cfssljson': '',
  'cfssl 1.6.5': '',
};

function shim(dir: string, name: string, args: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" ${args}"$@"\n`);
  chmodSync(join(dir, name), 0o755);
}

beforeAll(() => {
  reference = requireCfssl165();
  // One PATH folder per way of running the guides: etcd-pki as both tools; etcd-pki piped into
  // the real cfssljson 1.6.5; and cfssl 1.6.5 itself, the reference.
  for (const key of Object.keys(paths) as Array<keyof typeof paths>) paths[key] = tmp.freshDir();
  shim(paths['etcd-pki'], 'cfssl', '');
  shim(paths['etcd-pki'], 'cfssljson', 'json ');
  shim(paths['etcd-pki, real cfssljson'], 'cfssl', '');
  symlinkSync(reference.cfssljson, join(paths['etcd-pki, real cfssljson'], 'cfssljson'));
  symlinkSync(reference.cfssl, join(paths['cfssl 1.6.5'], 'cfssl'));
  symlinkSync(reference.cfssljson, join(paths['cfssl 1.6.5'], 'cfssljson'));
});

/** Runs every step of `guide` in a fresh folder with `bin` first on PATH; returns the folder. */
async function replay(guide: Guide, bin: string): Promise<string> {
  const dir = tmp.freshDir();
  for (const step of guide.steps) {
    if ('edit' in step) {
      const from = join(FIXTURES, step.from);
      if (statSync(from).isDirectory()) cpSync(from, join(dir, step.edit), { recursive: true });
      else copyFileSync(from, join(dir, step.edit));
      continue;
    }
    const result = await run('bash', ['-o', 'pipefail', '-c', step.sh], {
      cwd: dir,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(result.code, `${step.sh}\n${result.stderr}`).toBe(0);
  }
  return dir;
}

const GUIDES = [COREOS, COREOS_WITHOUT_FILES, TLS_SETUP, SEED];
const WAYS = ['etcd-pki', 'etcd-pki, real cfssljson'] as const;

describe.each(GUIDES)('$name, replayed unchanged', (guide) => {
  const dirs = new Map<string, string>();

  beforeAll(async () => {
    for (const way of ['cfssl 1.6.5', ...WAYS] as const) dirs.set(way, await replay(guide, paths[way]));
  });

  it.each(WAYS)('with %s: every certificate verifies with openssl for its purposes', async (way) => {
    const dir = dirs.get(way)!;
    for (const { file, ca, purposes } of guide.certificates) {
      for (const purpose of purposes) {
        await opensslVerify(readFileSync(join(dir, ca), 'utf8'), readFileSync(join(dir, file), 'utf8'), { purpose });
      }
      expect(statSync(join(dir, file.replace(/\.pem$/, '-key.pem'))).mode & 0o777, file).toBe(0o600);
    }
  });

  it.each(WAYS)('with %s: the same files as cfssl 1.6.5 writes, field by field', async (way) => {
    const theirs = dirs.get('cfssl 1.6.5')!;
    const ours = dirs.get(way)!;
    const { listFiles } = await import('../support/corpus.js');
    const names = listFiles(theirs).filter((f) => /\.(pem|csr)$/.test(f));
    expect(listFiles(ours).filter((f) => /\.(pem|csr)$/.test(f))).toEqual(names);
    for (const name of names) {
      expect(await decodePem(readFileSync(join(ours, name), 'utf8')), name).toEqual(
        await decodePem(readFileSync(join(theirs, name), 'utf8')),
      );
    }
  });
});

it('runs etcd-pki as cfssl and cfssljson, and cfssl 1.6.5 as the reference', async () => {
  const version = async (bin: string) => (await run(join(bin, 'cfssl'), ['version'])).stdout;
  expect(await version(paths['etcd-pki'])).toContain('Runtime: node');
  expect(await version(paths['etcd-pki, real cfssljson'])).toContain('Runtime: node');
  expect(await version(paths['cfssl 1.6.5'])).toContain('Version: 1.6.5');
});
