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

/** Imports of forbidden packages that are allowed, by module, each with why it stays off the issuing path. */
const ALLOWED_LAZY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'crypto.ts': {
    pkijs: "import()ed inside PkiCrypto.engine(), for pkijs operations (chain validation); issuing never calls it",
    '@peculiar/webcrypto': 'import()ed inside PkiCrypto.webcrypto(), which only engine() calls',
  },
};

interface Edge {
  readonly specifier: string;
  readonly dynamic: boolean;
}

/** Imports that run code: static ones except `import type`/`export type`, and every import(). */
function runtimeImports(file: string): Edge[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
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
      } else if (FORBIDDEN.test(edge.specifier) && !(edge.dynamic && ALLOWED_LAZY[name]?.[edge.specifier])) {
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
    expect(runtimeImports(join(SRC, 'crypto.ts')).map((edge) => edge.specifier)).toEqual(expect.arrayContaining(['pkijs', '@peculiar/webcrypto']));
  });

  it('lists only allowed imports that exist', () => {
    const stale = Object.entries(ALLOWED_LAZY).flatMap(([file, packages]) => {
      const present = new Set(runtimeImports(join(SRC, file)).filter((edge) => edge.dynamic).map((edge) => edge.specifier));
      return Object.keys(packages).filter((name) => !present.has(name)).map((name) => `${file}: ${name}`);
    });
    expect(stale).toEqual([]);
  });
});
