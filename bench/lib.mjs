// Timing helpers for bench/run.mjs: medians of wall-clock times of whole processes, measured
// side by side in one run so that ratios hold while absolute times drift.
import { spawnSync } from 'node:child_process';

/** Median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one run of `command args` (or of a bash script when `args` is undefined), in ms. */
export function timeOnce(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result =
    args === undefined
      ? spawnSync('bash', ['-o', 'pipefail', '-c', command], { stdio: ['ignore', 'ignore', 'pipe'], ...options })
      : spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${(args ?? []).join(' ')} failed (${result.status}): ${result.stderr?.toString().slice(0, 500)}`);
  }
  return ms;
}

/**
 * Median wall time of `runs` runs of each contender, interleaved (a, b, a, b, ...) so that load
 * from elsewhere on the machine falls on both alike. `prepare` runs before each timed run, untimed.
 */
export function timeSideBySide(contenders, runs) {
  const times = contenders.map(() => []);
  for (let i = 0; i < runs; i++) {
    contenders.forEach((contender, index) => {
      contender.prepare?.();
      times[index].push(contender.run());
    });
  }
  return times.map(median);
}

/** True when `command` is on PATH. */
export function installed(command) {
  return spawnSync('bash', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}
