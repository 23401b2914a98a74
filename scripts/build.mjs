// Builds dist/: the library and its typings with tsc (dist/*.js, dist/*.d.ts), then the CLI bundled
// with esbuild into one file, dist/cli-bundle/etcd-pki.cjs, with a V8 code cache beside it, so that
// `etcd-pki` starts without resolving hundreds of modules, compiling its JSON Schemas or compiling
// its JavaScript (docs/performance.md).
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
// Build beside dist/ and swap it in at the end, so that a CLI or test running meanwhile keeps a
// whole dist/ (the old one or the new one), never a half-built or missing one.
const out = `${root}/.dist-building-${process.pid}`;
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', `${root}/tsconfig.json`, '--outDir', out], {
  stdio: 'inherit',
});

const esbuild = await import('esbuild');
const { standaloneValidators } = await import('./standalone-validators.mjs');
const { AJV_OPTIONS } = await import(`${out}/schema-validators.js`);
const validatorsSource = standaloneValidators(`${root}/schemas`, AJV_OPTIONS);
// In the bundle, schema-validators.ts (ajv compiling at run time) is replaced by precompiled code.
const precompiledSchemas = {
  name: 'precompiled-schemas',
  setup(build) {
    build.onResolve({ filter: /\/schema-validators\.js$/ }, () => ({ path: 'schema-validators', namespace: 'precompiled' }));
    build.onLoad({ filter: /.*/, namespace: 'precompiled' }, () => ({ contents: validatorsSource, loader: 'js', resolveDir: root }));
  },
};
// What is imported lazily (`await import('node:fs/promises')`) becomes require():
// the bundle runs as one classic script (bin/cli-bundle.cjs), where import() has no loader behind
// it. commander requires child_process at load for a feature etcd-pki does not use (executable
// subcommands): it gets a stand-in that loads the module on first use.
const lazyRequires = {
  name: 'lazy-requires',
  setup(build) {
    const lazy = /^node:/;
    build.onResolve({ filter: lazy }, (args) => {
      if (args.kind === 'dynamic-import') return { path: args.path, namespace: 'required' };
      if (args.path === 'node:child_process' && /[\\/]commander[\\/]/.test(args.importer))
        return { path: args.path, namespace: 'on-first-use' };
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'on-first-use' }, (args) => ({
      contents: `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require(${JSON.stringify(args.path)}))[key] });`,
      loader: 'js',
    }));
  },
};
const bundle = `${out}/cli-bundle/etcd-pki.cjs`;
// One CommonJS file rather than ES modules: bin/cli-bundle.cjs compiles it with the V8 code cache
// made below, which Node 20 offers for classic scripts only. Commands still load lazily: esbuild
// keeps each dynamic import() as a module initialiser that runs on first use.
await esbuild.build({
  plugins: [precompiledSchemas, lazyRequires],
  entryPoints: [`${root}/src/cli/main.ts`],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // import.meta.url on first use: pathToFileURL at load would be work every command pays.
  define: { 'import.meta.url': '__etcdPkiBundle.url' },
  banner: { js: "const __etcdPkiBundle = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
});
// The bulk writer's worker thread loads its own module file, beside the bundle as beside the
// library (src/io/worker-writes.ts resolves it from import.meta.url).
copyFileSync(`${out}/io/write-worker.js`, `${out}/cli-bundle/write-worker.js`);
// bin/cli-bundle.cjs reads the bundle as latin1, which is exact for ASCII only.
const nonAscii = /[^\x00-\x7f]/.exec(readFileSync(bundle, 'latin1'));
if (nonAscii) throw new Error(`${bundle}: non-ASCII byte at offset ${nonAscii.index}; escape it in the source`);
execFileSync(process.execPath, [`${root}/scripts/make-code-cache.mjs`, bundle], { stdio: 'inherit' });
const old = `${root}/.dist-old-${process.pid}`;
try {
  renameSync(`${root}/dist`, old);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(out, `${root}/dist`);
rmSync(old, { recursive: true, force: true });
