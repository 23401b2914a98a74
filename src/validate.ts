import type { ErrorObject } from 'ajv';
import { PkiError, jsonPointer } from './errors.js';
import { parseJsonStrict, type UntrustedJson } from './json.js';
import { schemaValidator, type SchemaName } from './schema-validators.js';
import { closest, didYouMean } from './suggest.js';

export { SCHEMA_NAMES, loadSchema, type SchemaName } from './schema-validators.js';

/**
 * Checks `value` against schema `name`, throwing the first violation as a PkiError with its
 * JSON path and a did-you-mean hint for misspelt keys and values.
 */
export function assertSchema(name: SchemaName, value: UntrustedJson, file?: string): void {
  const validate = schemaValidator(name);
  if (validate(value)) return;
  const error = validate.errors?.[0];
  if (!error) throw new PkiError('INVALID_JSON', 'does not match its schema', { file });
  throw schemaError(error, file);
}

/** Strict JSON parse, then schema check. The result has the schema's shape. */
export function parseAndValidate(name: SchemaName, text: string, file?: string): UntrustedJson {
  const value = parseJsonStrict(text, file);
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
      const typo = closest(key, data.filter((k) => !parentProperties.includes(k) && k !== '$schema'));
      return new PkiError('INVALID_JSON', `missing required key ${JSON.stringify(key)}`, {
        file,
        path,
        ...(typo !== undefined ? { hint: `rename ${JSON.stringify(typo)} to ${JSON.stringify(key)}` } : {}),
      });
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      return new PkiError('INVALID_JSON', `must be ${article(expected)} ${expected}, not ${describeType(error.data)}`, {
        file,
        path,
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

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${article(typeof value)} ${typeof value} (${JSON.stringify(value)})`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
