import { constants } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PkiError } from '../errors.js';
import { ioError } from './input.js';
import { isProcessRunning } from './process-alive.js';

export const LOCK_FILE = '.etcd-pki.lock';

/** A held lock on an output directory; release it when done. */
export interface DirectoryLock {
  release(): Promise<void>;
}

/**
 * Takes the output directory's lock so that two runs never write one bundle at once. A lock left
 * by a process that no longer runs is taken over.
 * @throws PkiError LOCKED naming the process that holds it.
 */
export async function lockDirectory(dir: string): Promise<DirectoryLock> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, dir, 'lock');
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && isProcessRunning(pid)) {
        throw new PkiError('LOCKED', `another etcd-pki (pid ${pid}) is writing ${dir}`, {
          file: dir,
          hint: `wait for it to finish; if it is gone, remove ${path}`,
        });
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new PkiError('LOCKED', `cannot take the lock on ${dir}`, { file: dir, hint: `remove ${path}` });
}
