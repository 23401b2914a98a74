import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PkiError } from '../errors.js';
import { SECRET_DIR_MODE } from '../fileset.js';
import { syncDirectory } from './flush.js';
import { ioError } from './input.js';
import { isProcessRunning } from './process-alive.js';

/** A directory being filled beside its final place, moved there whole by `commit`. */
export interface StagedDirectory {
  /** Where to write meanwhile. */
  readonly path: string;
  /**
   * Moves it to its final place in one rename(2), made durable before returning (its contents must
   * already be). @throws PkiError LOCKED when that place was taken meanwhile, IO otherwise.
   */
  commit(): Promise<void>;
  /** Removes it and everything in it (the run failed). */
  abandon(): Promise<void>;
}

const STAGING_MARK = '.etcd-pki-new-';

function stagingPrefix(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}${STAGING_MARK}`);
}

/**
 * Starts a new output directory as a hidden sibling (`.OUT.etcd-pki-new-PID`, 0700), so that a
 * run that fails or is killed leaves OUT as it was (absent) and a finished run makes OUT appear
 * complete, at once. Sibling directories left by runs that were killed are removed first. While
 * it exists it is in `inFlightDirs`, so that a signal handler can remove it (cli/main.ts). Its
 * few system calls are made directly rather than on the thread pool (see io/lock.ts).
 */
export async function stageNewDirectory(finalPath: string, inFlightDirs?: Set<string>): Promise<StagedDirectory> {
  removeStaleStaging(finalPath);
  const path = `${stagingPrefix(finalPath)}${process.pid}`;
  rmSync(path, { recursive: true, force: true });
  try {
    mkdirSync(path, { mode: SECRET_DIR_MODE });
  } catch (error) {
    throw ioError(error, finalPath, 'create the output directory');
  }
  inFlightDirs?.add(path);
  return {
    path,
    commit: async () => {
      try {
        renameSync(path, finalPath);
        inFlightDirs?.delete(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
          throw new PkiError('LOCKED', 'another run created the output directory while this one was writing it', {
            file: finalPath,
            hint: 'run again: it keeps what the other run made and adds what is missing',
          });
        }
        throw ioError(error, finalPath, 'move the finished bundle into place');
      }
      // Until the parent directory reaches the disk a crash can undo the rename, and the next run
      // would then remove the finished bundle as a killed run's leftover (removeStaleStaging).
      await syncDirectory(dirname(finalPath)).catch((error: unknown) => {
        throw ioError(error, finalPath, 'flush the finished bundle to disk');
      });
    },
    abandon: async () => {
      rmSync(path, { recursive: true, force: true });
      inFlightDirs?.delete(path);
    },
  };
}

function removeStaleStaging(finalPath: string): void {
  const prefix = basename(stagingPrefix(finalPath));
  let entries: string[];
  try {
    entries = readdirSync(dirname(finalPath));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessRunning(pid)) continue;
    rmSync(join(dirname(finalPath), entry), { recursive: true, force: true });
  }
}
