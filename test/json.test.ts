import { describe, expect, it } from 'vitest';
import { parseJsonStrict } from '../src/json.js';
import { expectPkiErrorSync } from './support/errors.js';

describe('parseJsonStrict', () => {
  it('parses what JSON.parse parses, for valid documents', () => {
    const text = '{"a": [1, 2.5, -3e2, true, false, null, "x\\n\\u00e9"], "b": {"c": {}}, "d": []}';
    expect(parseJsonStrict(text)).toEqual(JSON.parse(text));
  });

  const invalid = [
    {
      name: 'rejects a duplicate key and names its JSON path',
      text: '{"signing": {"default": {"expiry": "1h", "expiry": "2h"}}}',
      path: '/signing/default/expiry',
      message: 'duplicate key "expiry"',
      hint: 'keep only one',
    },
    {
      name: 'rejects a byte order mark',
      text: '\ufeff{}',
      message: 'byte order mark',
      hint: 'without BOM',
    },
    {
      name: 'rejects a trailing comma with line and column',
      text: '{\n  "CN": "etcd1",\n}',
      message: 'line 3, column 1',
      hint: 'no trailing comma',
    },
    {
      name: 'rejects single-quoted keys',
      text: "{'CN': 'etcd1'}",
      message: 'expected a quoted key',
    },
    {
      name: 'rejects text after the value',
      text: '{"CN": "a"} {"CN": "b"}',
      message: 'after the end of the JSON value',
      hint: 'remove the trailing text',
    },
    {
      name: 'rejects a truncated file and says so',
      text: '{"CN": "etcd1", "hosts": [',
      message: 'the end of the file',
    },
    {
      name: 'rejects an unterminated string',
      text: '{"CN": "etcd1',
      message: 'unterminated string',
    },
    {
      name: 'rejects a raw newline inside a string',
      text: '{"CN": "etc\nd1"}',
      message: 'control character',
    },
    {
      name: 'rejects comments',
      text: '{"CN": "etcd1" // the first member\n}',
      message: 'expected "," or "}"',
    },
    {
      name: 'rejects nesting deeper than 64 levels',
      text: '['.repeat(70) + ']'.repeat(70),
      message: 'nesting deeper than 64',
    },
  ];
  it.each(invalid)('$name', ({ text, path, message, hint }) => {
    expectPkiErrorSync(() => parseJsonStrict(text, 'in.json'), {
      code: 'INVALID_JSON',
      file: 'in.json',
      ...(path ? { path } : {}),
      message,
      ...(hint ? { hint } : {}),
    });
  });

  it('keeps a "__proto__" key as data without touching any prototype', () => {
    const value = parseJsonStrict('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
