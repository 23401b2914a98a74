import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PkiError } from '../errors.js';
import { ioError } from './input.js';
import { isProcessRunning } from './process-alive.js';

export const LOCK_FILE = '.etcd-pki.lock';

/** A held lock on an output directory; release it when done. */
export interface DirectoryLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** The lock file's name in the directory; default LOCK_FILE, the whole directory's lock. */
  readonly file?: string;
  /** What the holder is writing, for the LOCKED message; default the directory. */
  readonly writing?: string;
}

/**
 * Takes the output directory's lock so that two runs never write one bundle at once. A lock left
 * by a process that no longer runs is taken over. The few system calls are made directly, not on
 * the thread pool: they take microseconds, a pool round trip each would take longer.
 * @throws PkiError LOCKED naming the process that holds it.
 */
export async function lockDirectory(dir: string, options: LockOptions = {}): Promise<DirectoryLock> {
  const path = join(dir, options.file ?? LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        writeSync(fd, `${process.pid}\n`);
      } catch (error) {
        removeQuietly(path); // a lock naming no process would stop the next run for nothing
        throw error;
      } finally {
        closeSync(fd);
      }
      return { release: async () => removeQuietly(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, dir, 'lock');
      const pid = Number(readQuietly(path).trim());
      if (Number.isInteger(pid) && pid > 0 && isProcessRunning(pid)) {
        throw new PkiError('LOCKED', `another etcd-pki (pid ${pid}) is writing ${options.writing ?? dir}`, {
          file: dir,
          hint: `wait for it to finish; if it is gone, remove ${path}`,
        });
      }
      removeQuietly(path);
    }
  }
  throw new PkiError('LOCKED', `cannot take the lock on ${dir}`, { file: dir, hint: `remove ${path}` });
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
