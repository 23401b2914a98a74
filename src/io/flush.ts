import { spawnSync } from 'node:child_process';
import { closeSync, constants, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
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
    const result = spawnSync('sync', ['-f', outDir], { stdio: 'ignore' });
    if (!result.error && result.status === 0) return;
  }
  await Promise.all(paths.map(async (path) => {
    const handle = await open(path, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }));
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
    const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
