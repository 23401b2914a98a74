import type { ErrorObject } from 'ajv';
import { PkiError, jsonPointer } from './errors.js';
import { parseJsonStrict, type ParseJsonOptions, type UntrustedJson } from './json.js';
import { schemaValidator, type SchemaName } from './schema-validators.js';
import { closest, didYouMean } from './suggest.js';

export { SCHEMA_NAMES, loadSchema, type SchemaName } from './schema-validators.js';

/**
 * Checks `value` against schema `name`, throwing the first violation as a PkiError with its
 * JSON path and a did-you-mean hint for misspelt keys and values.
 */
export function assertSchema(name: SchemaName, value: UntrustedJson, file?: string): void {
  assertSizes(value, file);
  const validate = schemaValidator(name);
  if (validate(value)) return;
  const error = validate.errors?.[0];
  if (!error) throw new PkiError('INVALID_JSON', 'does not match its schema', { file });
  throw schemaError(error, file);
}

/** Strict JSON parse, then schema check. The result has the schema's shape. */
export function parseAndValidate(name: SchemaName, text: string, file?: string, options: ParseJsonOptions = {}): UntrustedJson {
  const value = parseJsonStrict(text, file, options);
  assertSchema(name, value, file);
  return value;
}

function schemaError(error: ErrorObject, file: string | undefined): PkiError {
  const path = error.instancePath;
  const parentProperties = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter(
    (key) => key !== '$schema',
  );
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      return new PkiError('INVALID_JSON', `unknown key ${JSON.stringify(key)}`, {
        file,
        path: path + jsonPointer(key),
        hint: parentProperties.length > 0 ? didYouMean(key, parentProperties) : 'remove it',
      });
    }
    case 'required': {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      // ajv checks "required" before "additionalProperties": a misspelt required key shows up as
      // missing, so point at the unknown key that is probably it.
      const data = error.data !== null && typeof error.data === 'object' ? Object.keys(error.data) : [];
      const typo = closest(
        key,
        data.filter((k) => !parentProperties.includes(k) && k !== '$schema'),
      );
      return new PkiError('INVALID_JSON', `missing required key ${JSON.stringify(key)}`, {
        file,
        path,
        hint: typo !== undefined ? `rename ${JSON.stringify(typo)} to ${JSON.stringify(key)}` : `add ${JSON.stringify(key)}`,
      });
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      return new PkiError('INVALID_JSON', `must be ${article(expected)} ${expected}, not ${describeType(error.data)}`, {
        file,
        path,
        hint: typeHint(expected, error.data),
      });
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      return new PkiError('INVALID_JSON', `unknown value ${JSON.stringify(error.data)}`, {
        file,
        path,
        hint: didYouMean(String(error.data), allowed),
      });
    }
    default:
      return new PkiError('INVALID_JSON', error.message ?? 'does not match its schema', { file, path });
  }
}

/** What to write instead of `value` where the schema wants `expected`. */
function typeHint(expected: string, value: unknown): string {
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return `put the value in double quotes: ${JSON.stringify(String(value))}`;
  }
  if ((expected === 'integer' || expected === 'number') && typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    return `remove the quotes: ${value.trim()}`;
  }
  if (expected === 'array' && (typeof value === 'string' || typeof value === 'number')) {
    return `write a list, even of one value: [${JSON.stringify(value)}]`;
  }
  return `write ${article(expected)} ${expected} here`;
}

/** Longest string, and longest array, that any etcd-pki input holds; beyond these it is not a real file. */
export const MAX_STRING_LENGTH = 16 * 1024;
export const MAX_ARRAY_LENGTH = 10_000;

/**
 * Refuses strings and arrays far larger than any real CSR, ca-config or cluster file holds, before
 * anything walks or encodes them (a 10 MB CN overflows the ASN.1 encoder's stack).
 * @throws PkiError INVALID_JSON naming the JSON path.
 */
function assertSizes(value: UntrustedJson, file: string | undefined, path: Array<string | number> = []): void {
  if (typeof value === 'string' && value.length > MAX_STRING_LENGTH) {
    throw new PkiError(
      'INVALID_JSON',
      `the value is ${value.length} characters long, more than the ${MAX_STRING_LENGTH} etcd-pki accepts`,
      {
        file,
        path: jsonPointer(...path),
        hint: 'is it the right file? names and hosts are at most a few hundred characters',
      },
    );
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_LENGTH) {
      throw new PkiError('INVALID_JSON', `the list has ${value.length} entries, more than the ${MAX_ARRAY_LENGTH} etcd-pki accepts`, {
        file,
        path: jsonPointer(...path),
        hint: 'is it the right file? no certificate needs that many (TLS peers refuse certificates that large)',
      });
    }
    value.forEach((item, index) => assertSizes(item, file, [...path, index]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.length > MAX_STRING_LENGTH) {
        throw new PkiError('INVALID_JSON', `a key is ${key.length} characters long`, {
          file,
          path: jsonPointer(...path),
          hint: 'is it the right file?',
        });
      }
      assertSizes(item, file, [...path, key]);
    }
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${article(typeof value)} ${typeof value} (${JSON.stringify(value)})`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
