// Makes the V8 code cache of the bundled CLI (bin/cli-bundle.cjs reads it): loads the bundle
// without a cache, runs the commands whose start-up matters (version, gencert -initca, gencert of
// a leaf, certinfo, cluster-bundle of a three-member cluster) in a scratch directory, then writes
// the cache, which now holds every function those runs compiled. scripts/build.mjs runs this in a
// child process of its own, so that the cache matches a plain `node` (V8 rejects a cache made
// under other V8 flags). Usage: node scripts/make-code-cache.mjs BUNDLE_FILE
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheOf, loadCliBundle } from '../bin/cli-bundle.cjs';

// Inputs shaped like the walkthrough's (fixtures/seed/), written here: a packed copy of the
// package builds without fixtures/.
const names = [{ C: 'US', L: 'CA', ST: 'San Francisco' }];
const key = { algo: 'ecdsa', size: 256 };
const profile = (...auth) => ({ expiry: '8760h', usages: ['signing', 'key encipherment', ...auth] });
const inputs = {
  'ca-csr.json': { CN: 'Code Cache CA', key, names },
  'peer-csr.json': { CN: 'ETCD Peer on etcd1', hosts: ['127.0.0.1'], key, names },
  'ca-config.json': {
    signing: {
      default: { expiry: '168h' },
      profiles: { server: profile('server auth'), client: profile('client auth'), peer: profile('server auth', 'client auth') },
    },
  },
};
const ca = ['-ca=ca.pem', '-ca-key=ca-key.pem', '-config=ca-config.json'];
const runs = [
  ['version'],
  ['gencert', '-initca', '-bare', 'ca', 'ca-csr.json'],
  ['gencert', ...ca, '-profile=peer', '-bare', 'peer', 'peer-csr.json'],
  ['gencert', ...ca, '-profile=server', 'peer-csr.json'],
  ['certinfo', '-cert', 'peer.pem'],
  ['cluster-bundle', '-member', 'etcd1=127.0.0.1', '-member', 'etcd2=127.0.0.2', '-member', 'etcd3=127.0.0.3', '-out', 'out', '--quiet'],
];

const bundle = process.argv[2];
const { exports: cli, script } = loadCliBundle({ bundle, useCache: false });
const scratch = mkdtempSync(join(tmpdir(), 'etcd-pki-code-cache-'));
const previousCwd = process.cwd();
try {
  for (const [file, content] of Object.entries(inputs)) writeFileSync(join(scratch, file), JSON.stringify(content));
  process.chdir(scratch);
  for (const args of runs) {
    const errors = [];
    const output = { stdout: () => undefined, stderr: (text) => errors.push(text), interactive: false };
    const status = await cli.main(args, { output, handleSignals: false });
    if (status !== 0) throw new Error(`etcd-pki ${args.join(' ')} failed (${status}) while making the code cache: ${errors.join('')}`);
  }
} finally {
  process.chdir(previousCwd);
  rmSync(scratch, { recursive: true, force: true });
}
// The bundle's directory is build.mjs's private one until it is swapped in whole.
writeFileSync(codeCacheOf(bundle), script.createCachedData());
