import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, exactly as `npx etcd-pki` runs it. */
export const CLI = fileURLToPath(new URL('../../bin/etcd-pki.cjs', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `etcd-pki ARGS` in `cwd`, with `input` on stdin. */
export function etcdPki(args: readonly string[], options: { cwd: string; input?: string | Buffer }): RunResult {
  return collect(spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, input: options.input ?? '', encoding: 'utf8' }));
}

/** Runs a shell pipeline in `cwd` (for `... | cfssljson -bare NAME`), with etcd-pki on PATH as `etcd-pki`. */
export function sh(script: string, cwd: string): RunResult {
  return collect(
    spawnSync('bash', ['-o', 'pipefail', '-c', `etcd-pki() { "${process.execPath}" "${CLI}" "$@"; }\n${script}`], {
      cwd,
      encoding: 'utf8',
    }),
  );
}

/** Runs any program. */
export function run(command: string, args: readonly string[], cwd: string, input?: string): RunResult {
  return collect(spawnSync(command, args, { cwd, encoding: 'utf8', input: input ?? '' }));
}

function collect(result: SpawnSyncReturns<string>): RunResult {
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
