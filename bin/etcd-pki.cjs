#!/usr/bin/env node
'use strict';
const { loadCliBundle } = require('./cli-bundle.cjs');

let cli;
try {
  cli = loadCliBundle().exports;
} catch (error) {
  process.stderr.write(`etcd-pki: ${error.message}\n`);
  process.exit(70); // EXIT.internal (src/cli/exit-codes.ts): the package itself is broken.
}
cli.main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
