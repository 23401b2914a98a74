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
  // main() has awaited all of its work. Exiting now rather than when the event loop has drained
  // skips Node's teardown of the heap and the thread pool (about 5 ms of a short command). Only
  // once everything written has left the process: output goes out with write(2) (src/cli/output.ts)
  // unless a non-blocking descriptor made it fall back to a stream, which may still hold some.
  if (!cli.processOutputPending()) process.exit();
});
