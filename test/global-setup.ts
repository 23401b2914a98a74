import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The e2e suites run the built CLI: build once when dist/ is missing or older than src/. */
export default function setup(): void {
  // The code cache is the last thing a build writes.
  const built = join(repo, 'dist', 'cli-bundle', 'etcd-pki.cjs.v8-cache');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(repo, 'src'))) return;
  execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
}
