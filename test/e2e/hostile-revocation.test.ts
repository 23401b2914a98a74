// Issue 17, "Done means" 4: hostile input for revoke, remove-member and gencrl through the CLI:
// unknown names, revoking twice, a CRL of another CA in the bundle, a bundle mid-rotation, a
// single-CA bundle pushed straight to separate CAs. Each gets one clear error naming the input and
// the fix, a non-zero exit, no key material, and leaves the bundle byte for byte as it was.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { CLI } from '../support/cli.js';
import { assertNoKeyMaterial, snapshot } from '../support/dir-state.js';

interface Case {
  readonly name: string;
  readonly args: (bundle: string) => readonly string[];
  /** Makes the hostile bundle from a copy of the clean one. */
  readonly setup?: (bundle: string) => void;
  readonly from?: 'separate' | 'single' | 'revoked';
  readonly exit: number;
  readonly words: readonly string[];
}

const work = mkdtempSync(join(tmpdir(), 'etcd-pki-hostile-revocation-'));
const etcdPki = (args: readonly string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8' });
const MEMBERS = ['-member', 'etcd1=10.0.0.1', '-member', 'etcd2=10.0.0.2', '-member', 'etcd3=10.0.0.3'];

beforeAll(() => {
  for (const [name, extra] of [
    ['separate', []],
    ['single', ['-single-ca']],
    ['other', []],
  ] as const) {
    const made = etcdPki(['cluster-bundle', ...MEMBERS, ...extra, '-out', name, '--quiet']);
    expect(made.status, made.stderr).toBe(0);
  }
  // A bundle whose client etcdctl was revoked once already, its old certificate then restored.
  cpSync(join(work, 'separate'), join(work, 'revoked'), { recursive: true });
  copyFileSync(join(work, 'revoked/etcdctl/etcdctl.pem'), join(work, 'old-etcdctl.pem'));
  const revoked = etcdPki(['revoke', '-out', 'revoked', '-client', 'etcdctl']);
  expect(revoked.status, revoked.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

let runs = 0;
const CASES: Case[] = [
  {
    name: 'revoke refuses an unknown client, suggesting the name meant',
    args: (b) => ['revoke', '-out', b, '-client', 'etcdclt'],
    exit: EXIT.usage,
    words: ['no client "etcdclt"', 'did you mean "etcdctl"?'],
  },
  {
    name: 'revoke refuses an unknown member',
    args: (b) => ['revoke', '-out', b, '-member', 'etcd7'],
    exit: EXIT.usage,
    words: ['no member "etcd7"'],
  },
  {
    name: 'revoke refuses the same name twice',
    args: (b) => ['revoke', '-out', b, '-member', 'etcd1', '-member', 'etcd1'],
    exit: EXIT.usage,
    words: ['-member etcd1 is given twice'],
  },
  {
    name: 'revoke refuses an unknown reason',
    args: (b) => ['revoke', '-out', b, '-client', 'etcdctl', '-reason', 'lost'],
    exit: EXIT.usage,
    words: ['lost', 'keyCompromise'],
  },
  {
    name: 'revoke refuses a certificate already revoked (revoking twice)',
    from: 'revoked',
    args: (b) => ['revoke', '-out', b, '-client', 'etcdctl'],
    setup: (b) => copyFileSync(join(work, 'old-etcdctl.pem'), join(b, 'etcdctl/etcdctl.pem')),
    exit: EXIT.input,
    words: ['already revoked', 'client-crl.pem', 'nothing to do'],
  },
  {
    name: "revoke refuses a bundle holding another CA's CRL where its own belongs",
    args: (b) => ['revoke', '-out', b, '-client', 'etcdctl'],
    setup: (b) => copyFileSync(join(work, 'other/ca/client-crl.pem'), join(b, 'ca/client-crl.pem')),
    exit: EXIT.input,
    words: ['ca/client-crl.pem', 'not signed by the CA it belongs to'],
  },
  {
    name: 'revoke refuses a bundle mid-rotation',
    from: 'single',
    args: (b) => ['revoke', '-out', b, '-client', 'etcdctl'],
    setup: (b) => {
      const phase = etcdPki(['rotate-ca', '-out', b, '-phase', '1']);
      expect(phase.status, phase.stderr).toBe(0);
    },
    exit: EXIT.input,
    words: ['rotation', 'phase'],
  },
  {
    name: 'revoke refuses a directory that is no bundle',
    args: () => ['revoke', '-out', work, '-client', 'etcdctl'],
    exit: EXIT.io,
    words: ['no bundle here'],
  },
  {
    name: 'remove-member refuses an unknown member',
    args: (b) => ['remove-member', '-out', b, '-member', 'etcd4'],
    exit: EXIT.usage,
    words: ['no member "etcd4"'],
  },
  {
    name: 'remove-member refuses a client as the member',
    args: (b) => ['remove-member', '-out', b, '-member', 'etcdctl'],
    exit: EXIT.usage,
    words: ['no member "etcdctl"'],
  },
  {
    name: 'remove-member refuses an endpoint that does not answer, before writing anything',
    args: (b) => ['remove-member', '-out', b, '-member', 'etcd3', '-endpoint', 'https://127.0.17.250:2379'],
    exit: EXIT.io,
    words: ['https://127.0.17.250:2379 did not list the members', 'etcdctl member list'],
  },
  {
    name: 'cluster-bundle refuses -trust separate straight over a single-CA bundle',
    from: 'single',
    args: (b) => ['cluster-bundle', '-out', b, '-trust', 'separate'],
    exit: EXIT.input,
    words: ['one CA for both ports', '-trust migrating'],
  },
];

describe('hostile input for revoke, remove-member and the trust layout leaves the bundle as it was', () => {
  it.each(CASES)('$name', ({ args, setup, from, exit, words }) => {
    const bundle = join(work, `case-${++runs}`);
    cpSync(join(work, from ?? 'separate'), bundle, { recursive: true });
    setup?.(bundle);
    const before = snapshot(bundle);
    const result = etcdPki(args(bundle));
    expect(result.status, result.stderr + result.stdout).toBe(exit);
    expect(result.stdout).toBe('');
    for (const word of words) expect(result.stderr).toContain(word);
    assertNoKeyMaterial(expect, result.stderr, false);
    expect(snapshot(bundle)).toEqual(before);
  });
});
