import { PkiError, jsonPointer, type WarningSink } from './errors.js';

/** Untrusted JSON, parsed but not yet validated. */
export type UntrustedJson = unknown;

const MAX_DEPTH = 64;

export interface ParseJsonOptions {
  /**
   * Where a duplicate key goes: undefined refuses it (etcd-pki's own files); a sink keeps the
   * last one, as Go's encoding/json does for cfssl's files, and is told so.
   */
  readonly duplicateKeys?: WarningSink | undefined;
}

/**
 * Parses JSON strictly (RFC 8259), unlike `JSON.parse` refusing duplicate keys (unless
 * `options.duplicateKeys` takes them), a byte order mark and trailing text, and reporting line
 * and column.
 * @throws PkiError INVALID_JSON naming `file`, the position and, for duplicates, the JSON path.
 */
export function parseJsonStrict(text: string, file?: string, options: ParseJsonOptions = {}): UntrustedJson {
  if (text.charCodeAt(0) === 0xfeff) {
    throw new PkiError('INVALID_JSON', 'the file starts with a byte order mark (BOM)', {
      file,
      hint: 'save it as UTF-8 without BOM',
    });
  }
  if (text.trim() === '') {
    throw new PkiError('INVALID_JSON', 'the file is empty', { file, hint: 'is it the right file? it should hold a JSON object' });
  }
  let at = 0;
  const fail = (message: string, hint?: string): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new PkiError('INVALID_JSON', `invalid JSON at line ${line}, column ${column}: ${message}`, { file, hint });
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  };
  const describe = () => (at >= text.length ? 'the end of the file (is it truncated?)' : JSON.stringify(text[at]));

  const parseString = (): string => {
    const start = at;
    at++;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x22) break;
      if (c === 0x5c) at++;
      else if (c < 0x20) fail('control character in a string', 'escape it, e.g. "\\n"');
      at++;
    }
    if (at >= text.length) fail('unterminated string (is the file truncated?)');
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      at = start;
      return fail('invalid escape in a string');
    }
  };

  const parseValue = (path: Array<string | number>, depth: number): UntrustedJson => {
    if (depth > MAX_DEPTH)
      fail(`nesting deeper than ${MAX_DEPTH} levels`, 'is it the right file? etcd-pki files nest a few levels at most');
    skipSpace();
    const c = text[at];
    if (c === '{') {
      at++;
      const out: Record<string, UntrustedJson> = {};
      const keys = new Set<string>();
      skipSpace();
      if (text[at] === '}') {
        at++;
        return out;
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail(`expected a quoted key, found ${describe()}`, 'JSON keys need double quotes and no trailing comma');
        const key = parseString();
        if (keys.has(key) && options.duplicateKeys) {
          options.duplicateKeys({
            message: `duplicate key ${JSON.stringify(key)}: the last one is used, as cfssl does`,
            file,
            path: jsonPointer(...path, key),
          });
        } else if (keys.has(key)) {
          throw new PkiError('INVALID_JSON', `duplicate key ${JSON.stringify(key)}`, {
            file,
            path: jsonPointer(...path, key),
            hint: 'keep only one; JSON readers disagree on which one wins',
          });
        }
        keys.add(key);
        skipSpace();
        if (text[at] !== ':') fail(`expected ":" after key ${JSON.stringify(key)}, found ${describe()}`);
        at++;
        const value = parseValue([...path, key], depth + 1);
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return out;
        }
        fail(`expected "," or "}", found ${describe()}`);
      }
    }
    if (c === '[') {
      at++;
      const out: UntrustedJson[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        return out;
      }
      for (;;) {
        out.push(parseValue([...path, out.length], depth + 1));
        skipSpace();
        if (text[at] === ',') {
          at++;
          skipSpace();
          if (text[at] === ']') fail('trailing comma before "]"', 'remove the comma after the last element');
          continue;
        }
        if (text[at] === ']') {
          at++;
          return out;
        }
        fail(`expected "," or "]", found ${describe()}`);
      }
    }
    if (c === '"') return parseString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 400));
    if (!literal) {
      if (at >= text.length) return fail(`expected a value, found ${describe()}`);
      return fail(`unexpected ${describe()}`, /^[A-Za-z_]/.test(text[at]!) ? 'strings need double quotes' : undefined);
    }
    at += literal[0].length;
    return JSON.parse(literal[0]) as UntrustedJson;
  };

  const value = parseValue([], 0);
  skipSpace();
  if (at < text.length) fail(`unexpected ${describe()} after the end of the JSON value`, 'remove the trailing text');
  return value;
}
