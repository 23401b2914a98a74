// Loads the bundled CLI, dist/cli-bundle/etcd-pki.cjs, with the V8 code cache that the build made
// for it. Compiling the bundle's JavaScript (commander, yaml, the schema validators, etcd-pki) is
// most of a short command's start-up; with the cache, V8 deserialises the compiled functions
// instead (docs/performance.md). Node 20 has no module.enableCompileCache, so the cache goes
// through vm.Script's cachedData, which every supported Node version has. CommonJS, like the
// bundle, so that starting the CLI needs no ES module loader.
//
// The cache is read only from the package's own dist/ and is never written at run time: V8 does
// not guard a code cache against tampering, so it must be exactly as trusted as the code itself
// (a cache in a shared directory such as /tmp would not be). A cache made by another Node or V8
// build is rejected by V8 and the bundle is compiled as usual: slower, never different.
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'cli-bundle', 'etcd-pki.cjs');

/** Where the code cache of `bundle` lives: beside it. */
const codeCacheOf = (bundle) => `${bundle}.v8-cache`;

/**
 * The bundle's exports ({ main }) and what became of the code cache: 'accepted', 'rejected' (made
 * by another V8), 'missing', or 'off' (`useCache: false`, to make a new one). `script` is kept for
 * scripts/make-code-cache.mjs, which calls createCachedData() after running commands.
 */
function loadCliBundle({ bundle = BUNDLE, useCache = true } = {}) {
  let source;
  try {
    // The build checks that the bundle is ASCII, so latin1 decodes it exactly, and twice as fast
    // as utf8 (a one-byte string straight from the bytes).
    source = readFileSync(bundle, 'latin1');
  } catch (error) {
    throw new Error(`the CLI is not built (${bundle}: ${error.code ?? error.message}); run "npm run build"`);
  }
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(codeCacheOf(bundle));
    } catch {
      // No cache (a partial copy of dist/): compile as usual.
    }
  }
  // The same wrapper as Node's CommonJS loader, so the bundle sees require, module and __filename.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  // This module's own require: the bundle requires only Node's own modules, and node:module's
  // createRequire would load the ES module loader for nothing.
  script.runInThisContext()(module.exports, require, module, bundle, dirname(bundle));
  const codeCache = !useCache ? 'off' : !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: module.exports, codeCache, script };
}

module.exports = { BUNDLE, codeCacheOf, loadCliBundle };
