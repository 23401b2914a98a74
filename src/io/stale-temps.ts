import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

// `.NAME.<12 hex>.tmp`, the names writeFileSet gives its temp files (io/write-files.ts).
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temp files dead runs left anywhere in a bundle: in `root` and in each directory
 * directly below it (ca/, each member's and client's), the only places a bundle command writes.
 * A SIGKILL gives a run no chance to clean up, and the next run may write to other directories
 * than the dead one did (`renew -member etcd1` after a killed `renew -all`), so the directories
 * written to are not enough. Only safe while holding the bundle's lock: no live run then has a
 * temp file in it. Linear in the bundle's entries; returns what it removed, relative to `root`.
 */
export async function removeDeadRunTemps(root: string): Promise<string[]> {
  const removed: string[] = [];
  const sweep = async (relative: string): Promise<string[]> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true }).catch(() => []);
    const below: string[] = [];
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) below.push(path);
      else if (entry.isFile() && TEMP_NAME.test(entry.name)) {
        await unlink(join(root, path)).then(
          () => removed.push(path),
          () => undefined,
        );
      }
    }
    return below;
  };
  for (const directory of await sweep('')) {
    if ((await lstat(join(root, directory)).catch(() => undefined))?.isDirectory()) await sweep(directory);
  }
  return removed;
}
