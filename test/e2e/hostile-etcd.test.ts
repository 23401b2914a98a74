// Issue 9 for the etcd layer's commands (cluster-bundle, add-member, renew, rotate-ca,
// check-expiration, doctor): hostile input gets one clear error line naming the input and the fix,
// the documented exit status, no key material, and leaves the directory exactly as it was.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { CLI, REPO } from '../support/cli.js';
import { assertNoKeyMaterial, snapshot } from '../support/dir-state.js';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly files?: Readonly<Record<string, string>>;
  readonly setup?: (dir: string) => void;
  readonly exit: number;
  readonly words: readonly string[];
}

const work = mkdtempSync(join(tmpdir(), 'etcd-pki-hostile-etcd-'));
const kit = join(work, 'kit');
const CFSSL_CA = ['-ca', join(REPO, 'fixtures/cfssl/rootca.pem'), '-ca-key', join(REPO, 'fixtures/cfssl/rootca-key.pem')];
const etcdPki = (args: readonly string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

beforeAll(() => {
  mkdirSync(join(kit, 'elsewhere'), { recursive: true });
  writeFileSync(join(kit, 'afile'), 'not a directory\n');
  // One CA: rotate-ca's refusals are among the cases, and it rotates a single-CA bundle (issue 17).
  const made = etcdPki(
    [
      'cluster-bundle',
      '-member',
      'etcd1=10.0.0.1',
      '-member',
      'etcd2=10.0.0.2',
      '-member',
      'etcd3=10.0.0.3',
      '-single-ca',
      '-out',
      'bundle',
      '--quiet',
    ],
    kit,
  );
  expect(made.status, made.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const member = (spec: string) => ['cluster-bundle', '-member', spec, '-out', 'new'];
const withConfig = (file: string) => ['cluster-bundle', '-config', file, '-out', 'new'];

const CASES: readonly Case[] = [
  {
    name: 'cluster-bundle refuses a member name with ../',
    args: member('../x=10.0.0.1'),
    exit: EXIT.input,
    words: ['members[0].name', '"../x"', 'not a plain name', 'letters, digits'],
  },
  {
    name: 'cluster-bundle refuses a member name with a slash',
    args: member('a/b=10.0.0.1'),
    exit: EXIT.input,
    words: ['"a/b"', 'not a plain name'],
  },
  {
    name: 'cluster-bundle refuses an empty member name',
    args: member('=10.0.0.1'),
    exit: EXIT.usage,
    words: ['"=10.0.0.1"', 'NAME=IP', '-member etcd1=192.168.0.91'],
  },
  {
    name: 'cluster-bundle refuses two members of one name',
    args: ['cluster-bundle', '-member', 'e1=10.0.0.1', '-member', 'e1=10.0.0.2', '-out', 'new'],
    exit: EXIT.input,
    words: ['members[1].name', 'already used', 'ETCD_NAME'],
  },
  {
    name: "cluster-bundle refuses the walkthrough's copied address (etcd4 reusing etcd3's IP)",
    args: ['cluster-bundle', '-member', 'etcd3=10.0.0.3', '-member', 'etcd4=10.0.0.3', '-out', 'new'],
    exit: EXIT.input,
    words: ['members[1].hosts[0]', 'also member "etcd3"', 'was "etcd3"\'s entry copied?'],
  },
  {
    name: 'cluster-bundle refuses a host with a port',
    args: member('e1=10.0.0.1:2379'),
    exit: EXIT.input,
    words: ['members[0].hosts[0]', 'includes a port', 'write "10.0.0.1"'],
  },
  {
    name: 'cluster-bundle refuses a CIDR range as a host',
    args: member('e1=10.0.0.0/24'),
    exit: EXIT.input,
    words: ['CIDR range', 'each IP address'],
  },
  {
    name: 'cluster-bundle without members says how to name them',
    args: ['cluster-bundle', '-out', 'new'],
    exit: EXIT.usage,
    words: ['no members given', '-member etcd1=192.168.0.91', '-config cluster.json'],
  },
  {
    name: 'cluster-bundle refuses a truncated cluster.json',
    args: withConfig('c.json'),
    files: { 'c.json': '{"members": [' },
    exit: EXIT.input,
    words: ['c.json', 'truncated'],
  },
  {
    name: 'cluster-bundle refuses a cluster.json with a BOM',
    args: withConfig('c.json'),
    files: { 'c.json': '\ufeff{"members":[{"name":"a","hosts":["10.0.0.1"]}]}' },
    exit: EXIT.input,
    words: ['c.json', 'byte order mark', 'without BOM'],
  },
  {
    name: 'cluster-bundle refuses duplicate keys in cluster.json',
    args: withConfig('c.json'),
    files: { 'c.json': '{"members":[{"name":"a","hosts":["10.0.0.1"]}],"members":[]}' },
    exit: EXIT.input,
    words: ['c.json', 'duplicate key "members"'],
  },
  {
    name: 'cluster-bundle suggests "members" for "member"',
    args: withConfig('c.json'),
    files: { 'c.json': '{"member":[{"name":"a","hosts":["10.0.0.1"]}]}' },
    exit: EXIT.input,
    words: ['c.json', 'rename "member" to "members"'],
  },
  {
    name: 'cluster-bundle refuses a string where the members list goes',
    args: withConfig('c.json'),
    files: { 'c.json': '{"members":"a"}' },
    exit: EXIT.input,
    words: ['c.json', 'members', 'must be an array', '["a"]'],
  },
  {
    name: 'cluster-bundle refuses trailing garbage after cluster.json',
    args: withConfig('c.json'),
    files: { 'c.json': '{"members":[{"name":"a","hosts":["10.0.0.1"]}]} x' },
    exit: EXIT.input,
    words: ['c.json', 'after the end of the JSON value'],
  },
  {
    name: 'cluster-bundle refuses an output path that is a file',
    args: ['cluster-bundle', '-member', 'e1=10.0.0.1', '-out', 'afile'],
    exit: EXIT.io,
    words: ['afile', 'is a file, not a directory'],
  },
  {
    name: 'cluster-bundle refuses an unknown key algorithm',
    args: [...member('e1=10.0.0.1'), '-key-algo', 'dsa'],
    exit: EXIT.usage,
    words: ["'dsa' is invalid", 'ecdsa, rsa, ed25519'],
  },
  {
    name: 'cluster-bundle refuses RSA 1024',
    args: [...member('e1=10.0.0.1'), '-key-algo', 'rsa', '-key-size', '1024'],
    exit: EXIT.input,
    words: ['1024 is too weak', '2048'],
  },
  {
    name: "cluster-bundle refuses expiry '1y' and suggests '8760h'",
    args: [...member('e1=10.0.0.1'), '-server-expiry', '1y'],
    exit: EXIT.input,
    words: ['expiry.server', '"1y"', 'write "8760h"'],
  },
  {
    name: 'cluster-bundle refuses -ca without -ca-key',
    args: [...member('e1=10.0.0.1'), '-ca', join(REPO, 'fixtures/cfssl/rootca.pem')],
    exit: EXIT.usage,
    words: ['need the CA private key', '-ca-key'],
  },
  {
    name: 'cluster-bundle refuses a CA key that does not match the CA',
    args: [...member('e1=10.0.0.1'), '-ca', join(REPO, 'fixtures/cfssl/rootca.pem'), '-ca-key', 'bundle/ca/ca-key.pem'],
    exit: EXIT.input,
    words: ['bundle/ca/ca-key.pem', 'does not match the CA certificate'],
  },
  {
    name: 'cluster-bundle refuses another CA over an existing bundle',
    args: [
      'cluster-bundle',
      '-member',
      'etcd1=10.0.0.1',
      '-member',
      'etcd2=10.0.0.2',
      '-member',
      'etcd3=10.0.0.3',
      '-out',
      'bundle',
      ...CFSSL_CA,
    ],
    exit: EXIT.input,
    words: ['ca/ca.pem', 'another CA', 'use a new output directory'],
  },
  {
    name: 'cluster-bundle does not write through a member directory that is a symbolic link',
    args: ['cluster-bundle', '-out', 'bundle'],
    setup: (dir) => {
      rmSync(join(dir, 'bundle', 'etcd1'), { recursive: true });
      symlinkSync('../elsewhere', join(dir, 'bundle', 'etcd1'));
    },
    exit: EXIT.input,
    words: ['bundle/etcd1', 'symbolic link', 'remove the link'],
  },
  {
    name: 'add-member refuses a directory that is not a bundle',
    args: ['add-member', '-out', 'elsewhere', '-member', 'e4=10.0.0.4'],
    exit: EXIT.io,
    words: ['elsewhere', 'no manifest.json', 'cluster-bundle'],
  },
  {
    name: 'add-member refuses a name the bundle has',
    args: ['add-member', '-out', 'bundle', '-member', 'etcd2=10.0.0.9'],
    exit: EXIT.input,
    words: ['already has a member named "etcd2"', 'choose a new name'],
  },
  {
    name: "add-member refuses another member's address",
    args: ['add-member', '-out', 'bundle', '-member', 'etcd4=10.0.0.3'],
    exit: EXIT.input,
    words: ['10.0.0.3:2379', 'also member "etcd3"'],
  },
  {
    name: 'add-member refuses a name with ../',
    args: ['add-member', '-out', 'bundle', '-member', '../x=10.0.0.9'],
    exit: EXIT.input,
    words: ['"../x"', 'not a plain name'],
  },
  {
    name: 'add-member without -member says what to give',
    args: ['add-member', '-out', 'bundle'],
    exit: EXIT.usage,
    words: ['needs the new member', '-member etcd4=192.168.0.94'],
  },
  {
    name: 'renew suggests the member meant',
    args: ['renew', '-out', 'bundle', '-member', 'etcd9'],
    exit: EXIT.usage,
    words: ['no member named "etcd9"', 'did you mean etcd1?'],
  },
  {
    name: 'renew refuses a directory that is not a bundle',
    args: ['renew', '-out', 'elsewhere', '-all'],
    exit: EXIT.io,
    words: ['elsewhere', 'no manifest.json'],
  },
  {
    name: "renew refuses expiry '1y'",
    args: ['renew', '-out', 'bundle', '-member', 'etcd1', '-expiry', '1y'],
    exit: EXIT.input,
    words: ['-expiry', 'write "8760h"'],
  },
  {
    name: 'rotate-ca refuses phase 2 before phase 1',
    args: ['rotate-ca', '-phase', '2', '-out', 'bundle'],
    exit: EXIT.input,
    words: ['phase 2 needs phase 1 first', 'rotate-ca -phase 1'],
  },
  {
    name: 'rotate-ca refuses a phase that does not exist',
    args: ['rotate-ca', '-phase', '4', '-out', 'bundle'],
    exit: EXIT.usage,
    words: ['"4" is not a phase', '1, 2 or 3'],
  },
  {
    name: 'check-expiration refuses a directory that is not there',
    args: ['check-expiration', '-bundle', 'nothere'],
    exit: EXIT.io,
    words: ['nothere', 'no manifest.json', '-conf'],
  },
  {
    name: 'doctor names a configuration file that is not there',
    args: ['doctor', '-conf', 'nothere.conf'],
    exit: EXIT.io,
    words: ['nothere.conf', 'no such file'],
  },
];

let caseNumber = 0;

describe('hostile input to the etcd commands', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const dir = join(work, `case-${++caseNumber}`);
    cpSync(kit, dir, { recursive: true });
    for (const [name, contents] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), contents);
    c.setup?.(dir);
    const before = snapshot(dir);
    const result = etcdPki(c.args, dir);
    const context = `etcd-pki ${c.args.join(' ')}\nstderr: ${result.stderr}`;
    expect(result.status, context).toBe(c.exit);
    expect(result.stdout, context).toBe('');
    const lines = result.stderr.replace(/\n$/, '').split('\n');
    expect(lines, context).toHaveLength(1);
    expect(lines[0], context).toMatch(/^etcd-pki: \S/);
    for (const word of c.words) expect(lines[0], context).toContain(word);
    expect(lines[0], context).not.toMatch(/internal error|\bat .*:\d+:\d+/);
    assertNoKeyMaterial(expect, result.stdout + result.stderr, false);
    expect(snapshot(dir), `${context}\nthe directory changed`).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });
});
