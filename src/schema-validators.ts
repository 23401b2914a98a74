import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

/** The JSON Schemas in `schemas/`, by the name of their file without `.schema.json`. */
export const SCHEMA_NAMES = ['ca-config', 'csr', 'cluster'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/**
 * The options of the one ajv instance; scripts/build.mjs compiles the bundled CLI's validators
 * ahead of time with the same options (ajv standalone code), replacing this module there.
 * `format` is documentation only: dates are checked by the rules.
 */
export const AJV_OPTIONS = { allErrors: false, verbose: true, strict: true, formats: { 'date-time': true } } as const;

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The schema document itself (schemas/NAME.schema.json). */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  const url = new URL(`../schemas/${name}.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

/** The validator of schema `name`, compiled on first use. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    ajv ??= new Ajv(AJV_OPTIONS);
    validate = ajv.compile(loadSchema(name));
    compiled.set(name, validate);
  }
  return validate;
}
