// Issue 4: the seed walkthrough, typed as an operator types it, with `cfssl` replaced by
// `etcd-pki`: through the real cfssljson, through `etcd-pki json -bare`, and through -bare.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, etcdPki, run, sh } from '../support/cli.js';

const SEED = join(REPO, 'fixtures', 'seed');
const MEMBERS = ['etcd1', 'etcd2', 'etcd3', 'etcd4'];

/** The walkthrough's commands, in its order, with `cfssl` spelled `etcd-pki` and a sink. */
function walkthroughCommands(sink: (name: string) => string): string[] {
  const gencert = 'etcd-pki gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json';
  return [
    `etcd-pki gencert -initca rootca-csr.json ${sink('rootca')}`,
    ...MEMBERS.map((m) => `${gencert} -profile=server ${m}-csr.json ${sink(m)}`),
    `${gencert} -profile=client etcdctl-csr.json ${sink('etcdctl')}`,
    ...MEMBERS.map((m) => `${gencert} -profile=peer ${m}-peer-csr.json ${sink(`${m}-peer`)}`),
  ];
}

const FLOWS = [
  { name: 'piped into the real cfssljson', sink: (n: string) => `| cfssljson -bare ${n}` },
  { name: 'piped into etcd-pki json -bare', sink: (n: string) => `| etcd-pki json -bare ${n}` },
  // -bare goes before the CSR JSON argument, as flags do.
  { name: 'written directly with -bare', sink: (n: string) => `-bare ${n}`, bareFlag: true },
];

const ISSUED = ['rootca', ...MEMBERS, 'etcdctl', ...MEMBERS.map((m) => `${m}-peer`)];
const dirs: string[] = [];

function seededDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-pki-walkthrough-'));
  dirs.push(dir);
  for (const file of readdirSync(SEED)) if (file.endsWith('.json')) copyFileSync(join(SEED, file), join(dir, file));
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** cfssl 1.2's certinfo prints key-id bytes below 0x10 without their leading zero ("B" for "0B"). */
function normaliseKeyId(id: string): string {
  return id
    .split(':')
    .filter((part) => part !== '')
    .map((part) => part.padStart(2, '0'))
    .join(':');
}

describe.each(FLOWS)('the seed walkthrough $name', ({ sink, bareFlag }) => {
  let dir: string;
  beforeAll(() => {
    dir = seededDir();
    for (const command of walkthroughCommands(sink)) {
      const line = bareFlag ? command.replace(/(\S+-csr\.json) (-bare \S+)$/, '$2 $1') : command;
      const result = sh(line, dir);
      expect(result.status, `${line}\n${result.stderr}`).toBe(0);
    }
  });

  it('writes NAME.pem, NAME-key.pem (0600) and NAME.csr (0644) for every step', () => {
    for (const name of ISSUED) {
      expect(statSync(join(dir, `${name}-key.pem`)).mode & 0o777, `${name}-key.pem`).toBe(0o600);
      expect(statSync(join(dir, `${name}.pem`)).mode & 0o777, `${name}.pem`).toBe(0o644);
      expect(statSync(join(dir, `${name}.csr`)).isFile()).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('issues certificates that openssl verifies against the root CA', () => {
    const leaves = ISSUED.filter((n) => n !== 'rootca').map((n) => `${n}.pem`);
    const result = run('openssl', ['verify', '-CAfile', 'rootca.pem', ...leaves], dir);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(leaves.map((leaf) => `${leaf}: OK`));
  });

  it('gives every leaf the usages of its profile', () => {
    const eku = (name: string) => {
      const text = run('openssl', ['x509', '-in', `${name}.pem`, '-noout', '-ext', 'extendedKeyUsage,keyUsage'], dir).stdout;
      return text.replace(/\s+/g, ' ').trim();
    };
    expect(eku('etcd1')).toContain('Digital Signature, Key Encipherment');
    expect(eku('etcd1')).toContain('TLS Web Server Authentication');
    expect(eku('etcd1')).not.toContain('Client Authentication');
    expect(eku('etcdctl')).toContain('TLS Web Client Authentication');
    expect(eku('etcdctl')).not.toContain('Server Authentication');
    expect(eku('etcd1-peer')).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
  });

  it('is read by cfssl certinfo, and etcd-pki certinfo prints the same fields', () => {
    for (const name of ISSUED) {
      const theirs = run('cfssl', ['certinfo', '-cert', `${name}.pem`], dir);
      expect(theirs.status, theirs.stderr).toBe(0);
      const ours = etcdPki(['certinfo', '-cert', `${name}.pem`], { cwd: dir });
      expect(ours.status, ours.stderr).toBe(0);
      const cfssl = JSON.parse(theirs.stdout) as Record<string, unknown>;
      const mine = JSON.parse(ours.stdout) as Record<string, unknown>;
      for (const field of ['authority_key_id', 'subject_key_id'] as const) {
        cfssl[field] = normaliseKeyId(String(cfssl[field]));
        mine[field] = normaliseKeyId(String(mine[field]));
      }
      expect(mine, name).toEqual(cfssl);
    }
  });
});

describe('stdout is cfssl JSON', () => {
  it.each([
    {
      name: 'gencert -initca prints cert, csr, key on one line',
      args: ['gencert', '-initca', 'rootca-csr.json'],
      keys: ['cert', 'csr', 'key'],
    },
    { name: 'genkey prints csr and key', args: ['genkey', 'etcd1-csr.json'], keys: ['csr', 'key'] },
    { name: 'genkey -initca prints cert, csr and key', args: ['genkey', '-initca', 'rootca-csr.json'], keys: ['cert', 'csr', 'key'] },
  ])('$name', ({ args, keys }) => {
    const dir = seededDir();
    const result = etcdPki(args, { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(JSON.parse(result.stdout) as object)).toEqual(keys);
  });

  it('matches the real cfssl key for key on the same commands', () => {
    const dir = seededDir();
    for (const args of [
      ['gencert', '-initca', 'rootca-csr.json'],
      ['genkey', 'etcd1-csr.json'],
    ]) {
      const theirs = JSON.parse(run('cfssl', args, dir).stdout) as object;
      const ours = JSON.parse(etcdPki(args, { cwd: dir }).stdout) as object;
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    }
  });
});

describe('cfssl flag spellings', () => {
  const dir = () => {
    const d = seededDir();
    expect(sh('etcd-pki gencert -initca rootca-csr.json | cfssljson -bare rootca', d).status).toBe(0);
    return d;
  };
  it.each([
    { name: '-profile=peer', flags: ['-profile=peer'] },
    { name: '-profile peer', flags: ['-profile', 'peer'] },
    { name: '--profile=peer', flags: ['--profile=peer'] },
    { name: '--profile peer', flags: ['--profile', 'peer'] },
  ])('accepts $name', ({ flags }) => {
    const d = dir();
    const result = etcdPki(
      ['gencert', '-ca', 'rootca.pem', '--ca-key=rootca-key.pem', '-config=ca-config.json', ...flags, '-bare', 'p', 'etcd1-peer-csr.json'],
      { cwd: d },
    );
    expect(result.status, result.stderr).toBe(0);
    const text = run('openssl', ['x509', '-in', 'p.pem', '-noout', '-ext', 'extendedKeyUsage'], d).stdout;
    expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
  });

  it("accepts boolean -initca=true and ignores cfssl's -loglevel", () => {
    const d = seededDir();
    const result = etcdPki(['-loglevel', '1', 'gencert', '-initca=true', 'rootca-csr.json'], { cwd: d });
    expect(result.status, result.stderr).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout) as object)).toEqual(['cert', 'csr', 'key']);
  });
});

describe('errors', () => {
  it.each([
    {
      name: 'an unknown -profile is an error with a suggestion, not the default profile',
      args: ['gencert', '-ca=rootca.pem', '-ca-key=rootca-key.pem', '-config=ca-config.json', '-profile=pear', 'etcd1-csr.json'],
      words: ['ca-config.json', 'unknown profile "pear"', 'did you mean "peer"'],
    },
    {
      name: 'a missing -ca is an error, not empty output with status 0',
      args: ['gencert', 'etcd1-csr.json'],
      words: ['need a CA certificate', '-ca'],
    },
    {
      name: 'a missing -ca-key is an error',
      args: ['gencert', '-ca=rootca.pem', 'etcd1-csr.json'],
      words: ['need the CA private key', '-ca-key'],
    },
    {
      name: 'the default profile without usages is refused with the profiles to choose from',
      args: ['gencert', '-ca=rootca.pem', '-ca-key=rootca-key.pem', '-config=ca-config.json', 'etcd1-csr.json'],
      words: ['signing.default', 'has no usages', 'server, client, peer'],
    },
  ])('$name', ({ args, words }) => {
    const dir = seededDir();
    expect(sh('etcd-pki gencert -initca rootca-csr.json | cfssljson -bare rootca', dir).status).toBe(0);
    const result = etcdPki(args, { cwd: dir });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const word of words) expect(result.stderr).toContain(word);
  });

  it('prints cfssl-style {"code","message"} with --json-errors', () => {
    const dir = seededDir();
    const result = etcdPki(['--json-errors', 'gencert', 'etcd1-csr.json'], { cwd: dir });
    expect(result.status).not.toBe(0);
    const error = JSON.parse(result.stderr) as { code: number; message: string };
    expect(typeof error.code).toBe('number');
    expect(error.message).toContain('need a CA certificate');
  });
});

describe('help', () => {
  it.each(['gencert', 'sign', 'genkey', 'gencsr', 'selfsign', 'certinfo', 'print-defaults', 'json'])(
    '%s --help shows a worked example and exits 0',
    (command) => {
      const result = etcdPki([command, '--help'], { cwd: REPO });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Examples?:\n  etcd-pki /);
    },
  );

  it('print-defaults config and csr print what cfssl prints, byte for byte', () => {
    for (const kind of ['config', 'csr']) {
      expect(etcdPki(['print-defaults', kind], { cwd: REPO }).stdout).toBe(run('cfssl', ['print-defaults', kind], REPO).stdout);
    }
  });

  it('print-defaults list names the same kinds as cfssl (which lists them in random order)', () => {
    const lines = (text: string) => text.split('\n').sort();
    expect(lines(etcdPki(['print-defaults', 'list'], { cwd: REPO }).stdout)).toEqual(
      lines(run('cfssl', ['print-defaults', 'list'], REPO).stdout),
    );
  });
});

describe('the other cfssl commands', () => {
  let dir: string;
  beforeAll(() => {
    dir = seededDir();
    expect(sh('etcd-pki gencert -initca rootca-csr.json | cfssljson -bare rootca', dir).status).toBe(0);
  });

  it('sign signs a CSR made by cfssl genkey, keeping its subject and SANs', () => {
    expect(sh('cfssl genkey etcd1-csr.json 2>/dev/null | cfssljson -bare req', dir).status).toBe(0);
    const result = sh(
      'etcd-pki sign -ca rootca.pem -ca-key rootca-key.pem -config ca-config.json -profile server req.csr | cfssljson -bare signed',
      dir,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(run('openssl', ['verify', '-CAfile', 'rootca.pem', 'signed.pem'], dir).stdout).toBe('signed.pem: OK\n');
    const text = run('openssl', ['x509', '-in', 'signed.pem', '-noout', '-subject', '-ext', 'subjectAltName'], dir).stdout;
    expect(text).toContain('CN = ETCD Cluster-1');
    expect(text).toContain('IP Address:192.168.0.91');
  });

  it('gencsr makes a request for an existing key that openssl verifies', () => {
    expect(sh('etcd-pki genkey etcd2-csr.json | cfssljson -bare k', dir).status).toBe(0);
    const result = sh('etcd-pki gencsr -key k-key.pem etcd2-csr.json | etcd-pki json -bare k2', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(run('openssl', ['req', '-in', 'k2.csr', '-noout', '-verify'], dir).stderr).toContain('verify OK');
    const keyOf = (args: string[]) => run('openssl', args, dir).stdout;
    expect(keyOf(['req', '-in', 'k2.csr', '-noout', '-pubkey'])).toBe(keyOf(['pkey', '-in', 'k-key.pem', '-pubout']));
  });

  it("selfsign HOSTNAME CSRJSON makes a certificate for the CSR JSON's hosts, as cfssl 1.6.5 does, and says HOSTNAME is ignored", () => {
    const result = sh('etcd-pki selfsign self.example.com etcd1-csr.json | cfssljson -bare self', dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('hostname "self.example.com" is ignored');
    expect(run('openssl', ['verify', '-CAfile', 'self.pem', '-partial_chain', 'self.pem'], dir).stdout).toBe('self.pem: OK\n');
    const sans = run('openssl', ['x509', '-in', 'self.pem', '-noout', '-ext', 'subjectAltName'], dir).stdout;
    expect(sans).toContain('IP Address:192.168.0.91');
    expect(sans).not.toContain('self.example.com');
  });

  it('gencert -initca -ca-key reuses the given key', () => {
    const result = sh('etcd-pki gencert -initca -ca-key rootca-key.pem rootca-csr.json | cfssljson -bare again', dir);
    expect(result.status, result.stderr).toBe(0);
    const pub = (file: string) => run('openssl', ['x509', '-in', file, '-noout', '-pubkey'], dir).stdout;
    expect(pub('again.pem')).toBe(pub('rootca.pem'));
  });

  it('reads CSR JSON from stdin with -', () => {
    const result = sh(
      'cat etcd3-csr.json | etcd-pki gencert -ca rootca.pem -ca-key rootca-key.pem -config ca-config.json -profile server - | cfssljson -bare fromstdin',
      dir,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'fromstdin.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});
