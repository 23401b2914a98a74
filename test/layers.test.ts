// The layering of src/ (STYLE.md): imports point down only, the CLI is the only edge that writes,
// and each third-party package stays in the layer that owns it. Fails on the import that breaks it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * Rank of each top-level module or folder of src/: a module may import only equal or lower ranks
 * (and the folder graph has no cycle, checked below, so equal ranks never import each other both ways).
 */
const RANK: Record<string, number> = {
  errors: 0,
  duration: 0,
  suggest: 0,
  printable: 0,
  boundary: 1,
  json: 0,
  fileset: 0,
  validate: 1,
  'schema-validators': 1,
  asn1: 2,
  pem: 2,
  crypto: 2,
  keys: 3,
  x509: 4,
  profiles: 5,
  csr: 5,
  signing: 6,
  'etcd-config': 7,
  bundle: 8,
  doctor: 8,
  lifecycle: 9,
  net: 10,
  io: 10,
  cli: 11,
  index: 11,
  api: 11,
};

/** The edges of the network: only these layers may import net/ (the CLI and the public entry points). */
const NET_IMPORTERS: readonly string[] = ['cli', 'index', 'api', 'net'];

/** Third-party packages and the layers allowed to import them. */
const PACKAGE_OWNERS: Record<string, readonly string[]> = {
  yaml: ['etcd-config'],
  ajv: ['validate', 'schema-validators'],
  commander: ['cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  return relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/import\('([^']+)'\)/g)];
  return specifiers.map((match) => match[1]!);
}

const files = sourceFiles(SRC);
const edges = files.flatMap((file) =>
  importsOf(file).map((specifier) => ({ from: relative(SRC, file), fromLayer: layerOf(file), specifier, file })),
);

describe('src/ layering', () => {
  it('knows the layer of every top-level module', () => {
    expect(files.map(layerOf).filter((layer) => RANK[layer] === undefined)).toEqual([]);
  });

  it('imports only equal or lower layers', () => {
    const violations = edges
      .filter((edge) => edge.specifier.startsWith('.'))
      .map((edge) => ({ ...edge, toLayer: layerOf(join(dirname(edge.file), edge.specifier.replace(/\.js$/, '.ts'))) }))
      .filter((edge) => edge.toLayer !== edge.fromLayer && RANK[edge.toLayer]! > RANK[edge.fromLayer]!)
      .map((edge) => `${edge.from} imports ${edge.specifier} (${edge.fromLayer} -> ${edge.toLayer})`);
    expect(violations).toEqual([]);
  });

  it('lets only the CLI import io/ (the only code that writes files)', () => {
    const violations = edges
      .filter((edge) => edge.specifier.startsWith('.') && edge.fromLayer !== 'cli' && edge.fromLayer !== 'io')
      .filter((edge) => layerOf(join(dirname(edge.file), edge.specifier.replace(/\.js$/, '.ts'))) === 'io')
      .map((edge) => `${edge.from} imports ${edge.specifier}`);
    expect(violations).toEqual([]);
  });

  it('lets only the CLI and the entry points import net/ (the network edge)', () => {
    const violations = edges
      .filter((edge) => edge.specifier.startsWith('.') && !NET_IMPORTERS.includes(edge.fromLayer))
      .filter((edge) => layerOf(join(dirname(edge.file), edge.specifier.replace(/\.js$/, '.ts'))) === 'net')
      .map((edge) => `${edge.from} imports ${edge.specifier}`);
    expect(violations).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of edges.filter((e) => e.specifier.startsWith('.'))) {
      const to = layerOf(join(dirname(edge.file), edge.specifier.replace(/\.js$/, '.ts')));
      if (to !== edge.fromLayer) graph.set(edge.fromLayer, (graph.get(edge.fromLayer) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (layer: string, path: readonly string[]): void => {
      if (path.includes(layer)) {
        cycles.push([...path.slice(path.indexOf(layer)), layer].join(' -> '));
        return;
      }
      for (const next of graph.get(layer) ?? []) visit(next, [...path, layer]);
    };
    for (const layer of graph.keys()) visit(layer, []);
    expect([...new Set(cycles)]).toEqual([]);
  });

  it('keeps each third-party package in the layer that owns it', () => {
    const violations = edges
      .filter((edge) => PACKAGE_OWNERS[edge.specifier] && !PACKAGE_OWNERS[edge.specifier]!.includes(edge.fromLayer))
      .map((edge) => `${edge.from} imports ${edge.specifier}`);
    expect(violations).toEqual([]);
  });

  it('declares as runtime dependencies exactly the packages src/ imports', () => {
    const manifest = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const imported = new Set(
      edges
        .map((edge) => edge.specifier)
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
        .map((specifier) => specifier.split('/')[0]!),
    );
    expect([...imported].sort()).toEqual(Object.keys(manifest.dependencies ?? {}).sort());
  });

  it('has the bundle commands change a bundle only through the one apply path (io/apply.ts)', () => {
    const commands = ['cluster-bundle', 'add-member', 'renew', 'rotate-ca'].map((name) => `cli/actions/${name}.ts`);
    const direct = edges
      .filter((edge) => commands.includes(edge.from) && /\/io\/(write-files|lock|staging)\.js$/.test(edge.specifier))
      .map((edge) => `${edge.from} imports ${edge.specifier}`);
    expect(direct).toEqual([]);
    for (const command of commands)
      expect(edges.some((edge) => edge.from === command && edge.specifier.endsWith('/io/apply.js'))).toBe(true);
  });

  it('splits each command into a definition (flags, help) and an action module loaded by its one import()', () => {
    // What a definition may load at start-up: commander, its sibling definitions, the shared output
    // flags, the check list doctor's help prints, and node:fs for the version.
    const allowed = ['commander', 'node:fs', '../issuing-options.js', '../../doctor/report.js'];
    const definitions = files.filter((file) => relative(SRC, file).startsWith('cli/commands/'));
    const heavy = definitions.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/g)]
        .map((match) => match[1]!)
        .filter((specifier) => !allowed.includes(specifier) && !specifier.startsWith('./'))
        .map((specifier) => `${relative(SRC, file)} imports ${specifier}`),
    );
    expect(heavy).toEqual([]);
    for (const file of definitions.filter((f) => !/\/(index|version)\.ts$/.test(f))) {
      const lazy = [...readFileSync(file, 'utf8').matchAll(/import\('([^']+)'\)/g)].map((match) => match[1]);
      expect(lazy, relative(SRC, file)).toEqual([`../actions/${relative(join(SRC, 'cli/commands'), file).replace(/\.ts$/, '.js')}`]);
    }
    const elsewhere = files
      .filter((file) => layerOf(file) === 'cli' && !relative(SRC, file).startsWith('cli/commands/'))
      .filter((file) => /\bimport\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(elsewhere).toEqual([]);
  });

  it('has no writes to the file system outside io/', () => {
    const writers = files
      .filter((file) => !['io', 'cli'].includes(layerOf(file)))
      .filter((file) => /\b(writeFile|writeFileSync|mkdir|rename|unlink|appendFile|chmod)\w*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(writers).toEqual([]);
  });
});
