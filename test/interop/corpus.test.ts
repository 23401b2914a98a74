/**
 * The interop corpus (fixtures/interop-corpus, issue 15): every case runs cfssl 1.6.5 and
 * etcd-pki on the same input and compares what they print and write, decoded field by field
 * (serial, keys, signatures, key ids and exact times aside). Pipes run four ways: cfssl and
 * etcd-pki into cfssljson and into `etcd-pki json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { requireCfssl165, type CfsslTools } from '../support/cfssl.js';
import { CORPUS_SHARED, decodeOutput, decodePem, listFiles, loadCorpus, stageCase, type CorpusCase } from '../support/corpus.js';
import { run, runOk } from '../support/run.js';
import { useTempDir } from '../support/temp.js';
import { REPO } from '../support/cli.js';

const tmp = useTempDir('etcd-pki-corpus-');
const cases = loadCorpus();
let tools: CfsslTools;
let cas: string;

type Side = 'cfssl' | 'etcd-pki';

interface Outcome {
  readonly ok: boolean;
  readonly stdout: unknown;
  readonly files: Record<string, unknown>;
  readonly stderr: string;
}

beforeAll(async () => {
  tools = requireCfssl165();
  // The CAs every case may sign with, made by cfssl 1.6.5 and given to both sides.
  cas = tmp.freshDir();
  for (const [csr, base] of [
    ['ca-csr.json', 'ca'],
    ['rsa-ca-csr.json', 'rsa-ca'],
    ['ed25519-ca-csr.json', 'ed25519-ca'],
  ] as const) {
    const out = JSON.parse(await runOk(tools.cfssl, ['gencert', '-initca', join(CORPUS_SHARED, csr)])) as Record<string, string>;
    writeFileSync(join(cas, `${base}.pem`), out.cert!);
    writeFileSync(join(cas, `${base}-key.pem`), out.key!, { mode: 0o600 });
  }
});

function command(side: Side, tool: CorpusCase['tool'], args: readonly string[]): [string, string[]] {
  if (side === 'cfssl') return [tool === 'cfssl' ? tools.cfssl : tools.cfssljson, [...args]];
  return [process.execPath, [CLI, ...(tool === 'cfssljson' ? ['json'] : []), ...args]];
}

/** Runs the case on one side (and its pipe through `pipeSide`'s cfssljson), in a fresh folder. */
async function runSide(c: CorpusCase, side: Side, pipeSide: Side = side): Promise<Outcome> {
  const dir = tmp.freshDir();
  stageCase(c, dir, cas);
  if (c.prepare) writeFileSync(join(dir, 'input.json'), await runOk(tools.cfssl, [...c.prepare], { cwd: dir }));
  const staged = new Set(listFiles(dir));
  const input = c.stdin ? readFileSync(join(dir, c.stdin)) : undefined;
  const [program, args] = command(side, c.tool, c.run);
  const main = await run(program, args, { cwd: dir, ...(input ? { input } : {}) });
  let ok = main.code === 0;
  let stdout = main.stdout;
  let stderr = main.stderr;
  if (c.pipe) {
    const [jsonProgram, jsonArgs] = command(pipeSide, 'cfssljson', c.pipe);
    const piped = await run(jsonProgram, jsonArgs, { cwd: dir, input: main.stdout });
    ok &&= piped.code === 0;
    stdout = piped.stdout;
    stderr += piped.stderr;
  }
  const files: Record<string, unknown> = {};
  for (const name of listFiles(dir)
    .filter((f) => !staged.has(f) && !f.includes('.etcd-pki.lock'))
    .sort()) {
    files[name] = await decodePem(readFileSync(join(dir, name), 'utf8'));
  }
  return { ok, stdout: ok ? await decodeOutput(stdout) : '<failed>', files: ok ? files : {}, stderr };
}

const docs = () => readFileSync(join(REPO, 'docs', 'cfssl-compatibility.md'), 'utf8');

describe('the interop corpus: cfssl 1.6.5 and etcd-pki on the same input', () => {
  it('has at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.concurrent.each(cases)('$name: $title', async (c) => {
    const theirs = await runSide(c, 'cfssl');
    const ours = await runSide(c, 'etcd-pki');
    if (process.env.CORPUS_DUMP) writeFileSync(join(process.env.CORPUS_DUMP, c.name + '.json'), JSON.stringify({ theirs, ours }, null, 1));
    if (c.warns) expect(ours.stderr).toContain(c.warns);
    if (c.expect !== 'same') {
      // Each departure from cfssl is listed in docs/cfssl-compatibility.md, and really happens.
      expect(docs()).toContain(c.docs);
      if (c.expect === 'refused') {
        expect(theirs.ok, `cfssl accepts this input:\n${theirs.stderr}`).toBe(true);
        expect(ours.ok, 'etcd-pki refuses this input').toBe(false);
        expect(ours.stderr).toMatch(/^etcd-pki: /);
      } else if (c.expect === 'lenient') {
        expect(theirs.ok, 'cfssl refuses this input').toBe(false);
        expect(ours.ok, `etcd-pki accepts this input:\n${ours.stderr}`).toBe(true);
      } else {
        expect(theirs.ok && ours.ok, `both accept this input:\n${theirs.stderr}${ours.stderr}`).toBe(true);
        expect(ours.stdout).not.toEqual(theirs.stdout);
      }
      return;
    }
    expect({ ok: ours.ok, stdout: ours.stdout, files: ours.files }, ours.stderr).toEqual({
      ok: theirs.ok,
      stdout: theirs.stdout,
      files: theirs.files,
    });
    if (c.pipe && theirs.ok) {
      // The other way round: etcd-pki's output through the real cfssljson, cfssl's through etcd-pki json.
      const intoCfssljson = await runSide(c, 'etcd-pki', 'cfssl');
      const intoJson = await runSide(c, 'cfssl', 'etcd-pki');
      expect({ ok: intoCfssljson.ok, files: intoCfssljson.files }).toEqual({ ok: true, files: theirs.files });
      expect({ ok: intoJson.ok, files: intoJson.files }, intoJson.stderr).toEqual({ ok: true, files: theirs.files });
    }
  });
});

describe('the corpus folder', () => {
  it('every case names its behaviour, runs something, and says why when etcd-pki refuses', () => {
    for (const c of cases) {
      expect(c.title, c.name).toMatch(/\w/);
      expect(c.run.length + (c.pipe?.length ?? 0), c.name).toBeGreaterThan(0);
      expect(['same', 'refused', 'lenient', 'differs'], c.name).toContain(c.expect);
      if (c.expect !== 'same') expect(c.docs, c.name).toBeTruthy();
    }
  });
});
