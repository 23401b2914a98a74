import { closeSync, constants, fsync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/*
 * Making written files reach the disk before anything depends on them: before a temp file is
 * renamed over the old one, before a staged directory is moved into place.
 */

// Below this many paths, fsync each one; above, one syncfs(2) of the output's file system
// (coreutils `sync -f`) flushes them all at once, falling back to fsync each when unavailable.
const FSYNC_EACH_LIMIT = 64;

/** Makes the contents of `paths` (files or directories) under `outDir` durable. */
export async function flushToDisk(outDir: string, paths: readonly string[]): Promise<void> {
  if (paths.length > FSYNC_EACH_LIMIT) {
    // Loaded here: node:child_process (with node:net and node:dgram) is a few ms of a short command.
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync('sync', ['-f', outDir], { stdio: 'ignore' });
    if (!result.error && result.status === 0) return;
  }
  // At most FSYNC_EACH_LIMIT descriptors open at once, whatever the count (EMFILE).
  for (let start = 0; start < paths.length; start += FSYNC_EACH_LIMIT) {
    await Promise.all(paths.slice(start, start + FSYNC_EACH_LIMIT).map((path) => syncPath(path, constants.O_RDONLY)));
  }
}

/**
 * fsync(2) of `path` on the thread pool, where several run at once; opening and closing, which
 * take microseconds, happen here: one pool round trip per file rather than three.
 */
async function syncPath(path: string, flags: number): Promise<void> {
  const fd = openSync(path, flags);
  try {
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
  } finally {
    closeSync(fd);
  }
}

/** `outDir` and every directory between it and `paths`: where the entries naming them live. */
export function directoriesOf(outDir: string, paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); dir.length > outDir.length && !found.has(dir); dir = dirname(dir)) found.add(dir);
  }
  return [...found, outDir];
}

// What file systems and platforms that cannot fsync a directory answer (some FUSE, Windows).
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EBADF']);

/** fsync(2) of a directory, so that a rename or a new entry in it survives a crash; a no-op where unsupported. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    await syncPath(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
