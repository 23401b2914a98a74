import { LineCounter, Scalar, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { PkiError } from '../errors.js';
import { closest } from '../suggest.js';
import { ETCD_FLAGS, LIST_FLAGS, NESTED_ONLY_FLAGS, TRANSPORT_SECURITY_KEYS, isEtcdFlag } from './etcd-flags.js';
import type { ConfigSettings, Setting, SettingProblem } from './model.js';

type Block = keyof typeof TRANSPORT_SECURITY_KEYS;
const BLOCKS = Object.keys(TRANSPORT_SECURITY_KEYS) as Block[];

/** Plain scalars YAML reads as null: etcd leaves such a setting at its default. */
const NULLS: ReadonlySet<string> = new Set(['', '~', 'null', 'Null', 'NULL']);

/**
 * Reads an etcd `--config-file` (YAML, read with the `yaml` package) into etcd flag names: the
 * top-level keys, the two nested `client-transport-security:` / `peer-transport-security:`
 * blocks, and lists where etcd's configuration takes a list (`log-outputs: [stderr]`,
 * `cipher-suites`), joined with commas as on a command line. Scalars are kept as written (the
 * failsafe schema: `true`, `0100` and `off` stay text, as etcd reads them); a plain empty value,
 * `~` or `null` leaves the setting unset. Keys etcd would silently ignore (unknown, or a TLS key at
 * the top level, where etcd 3.4 does not read it) are kept as problems with the fix. When a key is
 * written twice the last one wins, as in etcd.
 * @throws PkiError INVALID_CONFIG for text that is not YAML, a document that is not a mapping,
 *   or a value etcd cannot read into its setting (a list or block where it takes one string).
 */
export function parseEtcdYaml(text: string, file: string): ConfigSettings {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const fail = (line: number | undefined, why: string, hint: string) =>
    new PkiError('INVALID_CONFIG', line !== undefined ? `line ${line}: ${why}` : why, { file, hint });
  const [error] = document.errors;
  if (error)
    throw fail(
      lineCounter.linePos(error.pos[0]).line,
      firstLine(error.message),
      'fix the YAML syntax there; etcd cannot read the file either',
    );

  const values = new Map<string, Setting>();
  const problems: SettingProblem[] = [];
  const root = document.contents;
  if (root === null || (isScalar(root) && NULLS.has(String(root.value)))) return { format: 'yaml', file, values, problems };
  if (!isMap(root)) throw fail(lineOf(root), 'is not a mapping of etcd settings', 'write one "key: value" per line');

  for (const pair of root.items as Pair<unknown, unknown>[]) {
    const key = keyOf(pair, fail, lineOf);
    const node = pair.value as Node | null;
    const source = { file, line: lineOf(pair.key as Node), key };
    if ((BLOCKS as string[]).includes(key)) {
      if (node === null || (isScalar(node) && scalarValue(node) === undefined)) continue;
      if (!isMap(node))
        throw fail(source.line, `${key} must be a block of indented keys`, `write "${key}:" and its keys below it, indented`);
      readBlock(key as Block, node.items as Pair<unknown, unknown>[]);
      continue;
    }
    if (!isEtcdFlag(key)) {
      const suggestion = closest(key, [...ETCD_FLAGS, ...BLOCKS]);
      problems.push({
        source,
        severity: 'WARN',
        message: `etcd does not know the config-file key "${key}" and ignores it`,
        fix: suggestion ? `did you mean "${suggestion}"?` : 'remove it, or check the spelling against `etcd --help`',
      });
      continue;
    }
    if (key === 'client-crl-file' || key === 'peer-crl-file') {
      problems.push({
        source,
        severity: 'WARN',
        message: `etcd 3.4 reads no CRL from a config file: "${key}" is ignored, and the member checks no revocation`,
        fix: `start etcd with the environment (etcd.conf: ETCD_${key.toUpperCase().replaceAll('-', '_')}) or the --${key} flag instead of --config-file`,
      });
      continue;
    }
    if (NESTED_ONLY_FLAGS.has(key)) {
      const [blockName, nestedKey] = nestedPlaceOf(key);
      problems.push({
        source,
        severity: 'WARN',
        message: `etcd ignores "${key}" at the top level of a config file`,
        fix: `move it under "${blockName}:" as "${nestedKey}:"`,
      });
      continue;
    }
    const value = settingValue(key, node, source.line, fail);
    if (value !== undefined) values.set(key, { value, source });
  }
  return { format: 'yaml', file, values, problems };

  function readBlock(block: Block, items: Pair<unknown, unknown>[]): void {
    const table = TRANSPORT_SECURITY_KEYS[block] as Record<string, string>;
    for (const pair of items) {
      const key = keyOf(pair, fail, lineOf);
      const source = { file, line: lineOf(pair.key as Node), key: `${block}.${key}` };
      const flag = table[key];
      if (flag === undefined && key === 'crl-file') {
        const side = block.startsWith('peer') ? 'peer' : 'client';
        problems.push({
          source,
          severity: 'WARN',
          message: `etcd 3.4 reads no CRL from a config file: "crl-file" in ${block} is ignored, and the member checks no revocation`,
          fix: `start etcd with the environment (etcd.conf: ETCD_${side.toUpperCase()}_CRL_FILE) or the --${side}-crl-file flag instead of --config-file`,
        });
        continue;
      }
      if (flag === undefined) {
        const suggestion = closest(key, Object.keys(table));
        problems.push({
          source,
          severity: 'WARN',
          message: `etcd does not know "${key}" in ${block} and ignores it`,
          fix: suggestion ? `did you mean "${suggestion}"?` : `the keys are ${Object.keys(table).join(', ')}`,
        });
        continue;
      }
      const value = settingValue(flag, pair.value as Node | null, source.line, fail);
      if (value !== undefined) values.set(flag, { value, source });
    }
  }
}

type Fail = (line: number | undefined, why: string, hint: string) => PkiError;

function keyOf(pair: Pair<unknown, unknown>, fail: Fail, lineOf: (node: Node | null | undefined) => number | undefined): string {
  if (!isScalar(pair.key)) throw fail(lineOf(pair.key as Node), 'has a key that is not a name', 'write one "key: value" per line');
  return String(pair.key.value);
}

/** A setting's text: a scalar as written, a list of scalars joined with commas where etcd takes a list. */
function settingValue(flag: string, node: Node | null, line: number | undefined, fail: Fail): string | undefined {
  if (node === null) return undefined;
  if (isScalar(node)) return scalarValue(node);
  if (isSeq(node) && LIST_FLAGS.has(flag)) {
    const items = node.items.map((item) => (isScalar(item) ? scalarValue(item) : undefined));
    if (items.some((item) => item === undefined)) throw fail(line, `${flag} must be a list of names`, `e.g. ${flag}: [a, b]`);
    return items.join(',');
  }
  if (isSeq(node))
    throw fail(line, `${flag} is a list; etcd reads it as one string and does not start`, `write the values comma-separated: ${flag}: a,b`);
  throw fail(line, `${flag} is a block of keys; etcd reads it as one value`, `write "${flag}: value"`);
}

function scalarValue(node: Scalar): string | undefined {
  const text = String(node.value ?? '');
  return node.type === Scalar.PLAIN && NULLS.has(text) ? undefined : text;
}

function nestedPlaceOf(flag: string): [string, string] {
  for (const [blockName, table] of Object.entries(TRANSPORT_SECURITY_KEYS)) {
    for (const [nested, mapped] of Object.entries(table)) if (mapped === flag) return [blockName, nested];
  }
  return ['client-transport-security', flag];
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
