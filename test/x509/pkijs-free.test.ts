// The issuing commands must start without evaluating pkijs, asn1js or @peculiar/webcrypto (and
// their hashes): that cost ~5-6 ms of a ~100 ms `gencert`. Certificates and requests are read and
// written as DER in x509/ instead. This walks every import that runs code, static or dynamic,
// from the issuing entry points and fails on a path to one of those packages that is not listed
// below as a deliberate lazy load.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

const ENTRY_POINTS = [
  'signing/operations.ts',
  'cli/commands/gencert.ts',
  'cli/commands/sign.ts',
  'cli/commands/genkey.ts',
  'cli/commands/gencsr.ts',
  'bundle/plan.ts',
];

const FORBIDDEN = /^(pkijs|asn1js|@peculiar\/)/;

interface Edge {
  readonly specifier: string;
  readonly dynamic: boolean;
}

/** Imports that run code: static ones except `import type`/`export type`, and every import(). */
function runtimeImports(file: string): Edge[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const edges: Edge[] = [];
  // `import { type A } from` stays a runtime import under verbatimModuleSyntax; only the
  // statement-level `type` keyword erases it.
  for (const match of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s)?[^'";]*?from\s+'([^']+)'/g)) {
    if (!match[2]) edges.push({ specifier: match[3]!, dynamic: false });
  }
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) edges.push({ specifier: match[1]!, dynamic: false });
  for (const match of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) edges.push({ specifier: match[1]!, dynamic: true });
  return edges;
}

function resolveLocal(from: string, specifier: string): string {
  const path = join(dirname(from), specifier.replace(/\.js$/, '.ts'));
  if (!existsSync(path)) throw new Error(`${relative(SRC, from)} imports ${specifier}, which does not exist`);
  return path;
}

/** Every forbidden package reachable from `entry`, with the import chain that reaches it. */
function forbiddenPaths(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: readonly string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const name = relative(SRC, file);
    for (const edge of runtimeImports(file)) {
      if (edge.specifier.startsWith('.')) {
        walk(resolveLocal(file, edge.specifier), [...chain, name]);
      } else if (FORBIDDEN.test(edge.specifier)) {
        found.push([...chain, name, `${edge.dynamic ? 'import()' : 'import'} ${edge.specifier}`].join(' -> '));
      }
    }
  };
  walk(join(SRC, entry), []);
  return found;
}

describe('the issuing path loads no pkijs, asn1js or @peculiar/webcrypto', () => {
  it.each(ENTRY_POINTS)('%s reaches none of them', (entry) => {
    expect(forbiddenPaths(entry)).toEqual([]);
  });

  it('finds such an import when there is one (the walk itself works)', () => {
    expect(runtimeImports(fileURLToPath(new URL('./parse-vs-pkijs.test.ts', import.meta.url))).map((edge) => edge.specifier)).toContain(
      'pkijs',
    );
  });
});
