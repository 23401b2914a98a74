// Builds dist/: the library and its typings with tsc (dist/*.js, dist/*.d.ts), then the CLI bundled
// with esbuild into dist/cli-bundle/ (one entry plus lazily loaded chunks per command), so that
// `etcd-pki` starts without resolving hundreds of modules or compiling its JSON Schemas
// (README, Performance).
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
// Build beside dist/ and swap it in at the end, so that a CLI or test running meanwhile keeps a
// whole dist/ (the old one or the new one), never a half-built or missing one.
const out = `${root}/.dist-building-${process.pid}`;
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', `${root}/tsconfig.json`, '--outDir', out], { stdio: 'inherit' });

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
await esbuild.build({
  plugins: [precompiledSchemas],
  entryPoints: { main: `${root}/src/cli/main.ts` },
  outdir: `${out}/cli-bundle`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // commander and ajv are CommonJS and require() node built-ins; give the ESM bundle a require.
  banner: { js: "import { createRequire as __etcdPkiCreateRequire } from 'node:module'; const require = __etcdPkiCreateRequire(import.meta.url);" },
});
const old = `${root}/.dist-old-${process.pid}`;
try {
  renameSync(`${root}/dist`, old);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(out, `${root}/dist`);
rmSync(old, { recursive: true, force: true });
