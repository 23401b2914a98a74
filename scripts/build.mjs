// Builds dist/: the library and its typings with tsc, then the CLI bundled into one file with
// esbuild so that `etcd-pki` starts without resolving hundreds of modules (see README, Speed).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
