// Compiles the JSON Schemas into ajv standalone code for the bundled CLI, so that a command
// validates its input without loading ajv's compiler (see docs/performance.md). Same options as
// src/schema-validators.ts, which this module replaces in the bundle.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

/** ESM source exporting SCHEMA_NAMES, AJV_OPTIONS, loadSchema and schemaValidator. */
export function standaloneValidators(schemaDir, options) {
  const names = readdirSync(schemaDir)
    .filter((file) => file.endsWith('.schema.json'))
    .map((file) => file.replace(/\.schema\.json$/, ''))
    .sort();
  const schemas = Object.fromEntries(names.map((name) => [name, JSON.parse(readFileSync(`${schemaDir}/${name}.schema.json`, 'utf8'))]));
  const ajv = new Ajv({ ...options, code: { source: true, esm: true } });
  const refs = {};
  names.forEach((name, index) => {
    ajv.addSchema(schemas[name], `s${index}`);
    refs[`v${index}`] = `s${index}`;
  });
  const code = standaloneCode.default ? standaloneCode.default(ajv, refs) : standaloneCode(ajv, refs);
  return `${code}
const byName = { ${names.map((name, index) => `${JSON.stringify(name)}: v${index}`).join(', ')} };
const schemas = ${JSON.stringify(schemas)};
export const SCHEMA_NAMES = ${JSON.stringify(names)};
export const AJV_OPTIONS = ${JSON.stringify(options)};
export function loadSchema(name) { return schemas[name]; }
export function schemaValidator(name) { return byName[name]; }
`;
}
