import { PkiError } from '../errors.js';
import { closest } from '../suggest.js';
import { ETCD_FLAGS, NESTED_ONLY_FLAGS, TRANSPORT_SECURITY_KEYS, isEtcdFlag } from './etcd-flags.js';
import type { ConfigSettings, Setting, SettingProblem } from './model.js';

type Block = keyof typeof TRANSPORT_SECURITY_KEYS;
const BLOCKS = Object.keys(TRANSPORT_SECURITY_KEYS) as Block[];

/**
 * Reads an etcd `--config-file` (YAML) in the subset etcd's own sample uses: top-level
 * `key: value` lines and the two nested `client-transport-security:` / `peer-transport-security:`
 * blocks; scalars plain, single- or double-quoted; `#` comments; `null`, `~` and empty mean unset.
 * Keys etcd would silently ignore (unknown, or a TLS key at the top level, where etcd 3.4 does not
 * read it) are kept as problems with the fix. No YAML library is needed for this subset.
 * @throws PkiError INVALID_CONFIG for YAML outside the subset (lists, flow mappings, tabs).
 */
export function parseEtcdYaml(text: string, file: string): ConfigSettings {
  const values = new Map<string, Setting>();
  const problems: SettingProblem[] = [];
  let block: { name: string; indent: number | undefined; known: boolean } | undefined;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const fail = (why: string, hint: string) => new PkiError('INVALID_CONFIG', `line ${line}: ${why}`, { file, hint });
    if (/^\s*(#.*)?$/.test(raw) || /^(---|\.\.\.)\s*$/.test(raw)) return;
    if (/^\s*\t/.test(raw)) throw fail('indents with a tab', 'YAML indents with spaces only');
    const indent = raw.search(/\S/);
    const match = /^([A-Za-z0-9_.-]+)\s*:(?:\s+(.*))?$/.exec(raw.trim());
    if (!match) {
      if (raw.trim().startsWith('- ')) throw fail('is a list item', 'etcd reads URL lists as one comma-separated string');
      throw fail(`is not "key: value": ${JSON.stringify(raw.trim())}`, 'write one "key: value" per line');
    }
    const key = match[1]!;
    const value = scalar(match[2] ?? '', fail);

    if (indent === 0) {
      block = undefined;
      if ((BLOCKS as string[]).includes(key)) {
        if (value !== undefined) throw fail(`${key} must be a block of indented keys`, `write "${key}:" and its keys below it, indented`);
        block = { name: key, indent: undefined, known: true };
        return;
      }
      const source = { file, line, key };
      if (value === undefined && match[2] === undefined) {
        // A block etcd does not know: its keys are reported with it.
        block = { name: key, indent: undefined, known: false };
      }
      if (!isEtcdFlag(key)) {
        const suggestion = closest(key, [...ETCD_FLAGS, ...BLOCKS]);
        problems.push({
          source,
          severity: 'WARN',
          message: `etcd does not know the config-file key "${key}" and ignores it`,
          fix: suggestion ? `did you mean "${suggestion}"?` : 'remove it, or check the spelling against `etcd --help`',
        });
        return;
      }
      if (NESTED_ONLY_FLAGS.has(key)) {
        const [blockName, nestedKey] = nestedPlaceOf(key);
        problems.push({
          source,
          severity: 'WARN',
          message: `etcd ignores "${key}" at the top level of a config file`,
          fix: `move it under "${blockName}:" as "${nestedKey}:"`,
        });
        return;
      }
      if (value !== undefined) values.set(key, { value, source });
      return;
    }

    if (!block) throw fail('is indented but belongs to no block', 'remove the indentation');
    block.indent ??= indent;
    if (indent !== block.indent) throw fail('is indented differently from the lines above it', 'indent every key of a block alike');
    const source = { file, line, key: `${block.name}.${key}` };
    if (!block.known) return;
    const table = TRANSPORT_SECURITY_KEYS[block.name as Block] as Record<string, string>;
    const flag = table[key];
    if (flag === undefined) {
      const suggestion = closest(key, Object.keys(table));
      problems.push({
        source,
        severity: 'WARN',
        message: `etcd does not know "${key}" in ${block.name} and ignores it`,
        fix: suggestion ? `did you mean "${suggestion}"?` : `the keys are ${Object.keys(table).join(', ')}`,
      });
      return;
    }
    if (value !== undefined) values.set(flag, { value, source });
  });
  return { format: 'yaml', file, values, problems };
}

function nestedPlaceOf(flag: string): [string, string] {
  for (const [blockName, table] of Object.entries(TRANSPORT_SECURITY_KEYS)) {
    for (const [nested, mapped] of Object.entries(table)) if (mapped === flag) return [blockName, nested];
  }
  return ['client-transport-security', flag];
}

function scalar(text: string, fail: (why: string, hint: string) => PkiError): string | undefined {
  const value = text.trim();
  if (value.startsWith('"')) {
    const end = closingDoubleQuote(value);
    if (end < 0) throw fail('has no closing "', 'end the value with "');
    assertOnlyComment(value.slice(end + 1), fail);
    try {
      return JSON.parse(value.slice(0, end + 1)) as string;
    } catch {
      throw fail('has an escape YAML does not know in a double-quoted value', 'use single quotes, or \\\\ for a backslash');
    }
  }
  if (value.startsWith("'")) {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      if (value[i] !== "'") {
        out += value[i];
        continue;
      }
      if (value[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      assertOnlyComment(value.slice(i + 1), fail);
      return out;
    }
    throw fail("has no closing '", "end the value with '");
  }
  if (value.startsWith('[') || value.startsWith('{')) {
    throw fail('is a flow collection', 'etcd reads URL lists as one comma-separated string');
  }
  const plain = value.replace(/(^|\s+)#.*$/, '').trim();
  if (plain === '' || plain === '~' || plain === 'null' || plain === 'Null' || plain === 'NULL') return undefined;
  return plain;
}

function closingDoubleQuote(value: string): number {
  for (let i = 1; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === '"') return i;
  }
  return -1;
}

function assertOnlyComment(rest: string, fail: (why: string, hint: string) => PkiError): void {
  const trimmed = rest.trim();
  if (trimmed !== '' && !trimmed.startsWith('#')) throw fail(`has text after the closing quote: ${JSON.stringify(trimmed)}`, 'quote the whole value');
}
