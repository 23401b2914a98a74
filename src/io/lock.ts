import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PkiError } from '../errors.js';
import { ioError } from './input.js';
import { isProcessRunning } from './process-alive.js';

export const LOCK_FILE = '.etcd-pki.lock';

/** Beside a lock file: held (for microseconds) by the one run that removes a dead run's lock. */
const TAKEOVER_SUFFIX = '.takeover';

/**
 * A lock file is created empty and its pid written at once; one still empty after this long was
 * left by a run that died in between.
 */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** Tries before giving up while other runs take turns creating and taking over the lock. */
const ATTEMPTS = 50;
const RETRY_MS = 5;

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

/** Who holds a lock file, as read from it. */
type Holder =
  | { readonly kind: 'gone' }
  | { readonly kind: 'alive'; readonly pid: number }
  /** Created this instant, its pid not written yet. */
  | { readonly kind: 'starting' }
  /** A process that no longer runs, or a file naming none. */
  | { readonly kind: 'dead'; readonly text: string };

/**
 * Takes the output directory's lock so that two runs never write one bundle at once. A lock left
 * by a process that no longer runs is taken over, by one run only: the run that finds it dead
 * creates the takeover guard beside it (O_EXCL, so one at a time), checks again under the guard
 * that it is still a dead run's, removes it and releases the guard; then every run competes for
 * the lock again with O_EXCL, and all but the winner see a live pid. Only a guard holder removes a
 * lock it does not hold, so a live run's lock is never removed. The system calls are made directly,
 * not on the thread pool: they take microseconds, and the guard is held by synchronous code only,
 * so no signal handler runs while it exists.
 * @throws PkiError LOCKED naming the process that holds it.
 */
export async function lockDirectory(dir: string, options: LockOptions = {}): Promise<DirectoryLock> {
  const path = join(dir, options.file ?? LOCK_FILE);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createWithPid(path, dir)) return { release: async () => removeQuietly(path) };
    const holder = holderOf(path, dir);
    if (holder.kind === 'alive') {
      throw new PkiError('LOCKED', `another etcd-pki (pid ${holder.pid}) is writing ${options.writing ?? dir}`, {
        file: dir,
        hint: `wait for it to finish; if it is gone, remove ${path}`,
      });
    }
    if (holder.kind === 'dead' && !takeOver(path, holder, dir)) continue;
    if (holder.kind !== 'gone') await sleep(RETRY_MS);
  }
  throw new PkiError('LOCKED', `cannot take the lock on ${dir}: other runs keep taking it`, {
    file: dir,
    hint: `run again; if it persists, remove ${path}`,
  });
}

/**
 * Removes `path`, a dead run's lock, under the takeover guard. Returns false when it did (the
 * caller competes for the lock again at once), true when another run holds the guard (wait).
 * @throws PkiError LOCKED when the guard itself was left by a run that died holding it.
 */
function takeOver(path: string, seen: Holder & { kind: 'dead' }, dir: string): boolean {
  const guard = path + TAKEOVER_SUFFIX;
  if (!createWithPid(guard, dir)) {
    const other = holderOf(guard, dir);
    // Killed (SIGKILL) in the microseconds it holds the guard: removing a guard is not safe for
    // several runs at once, so the user does it.
    if (other.kind === 'dead') {
      throw new PkiError('LOCKED', `a run that was killed while taking over the lock on ${dir} left ${guard}`, {
        file: dir,
        hint: `remove ${guard}`,
      });
    }
    return true;
  }
  try {
    const now = holderOf(path, dir);
    if (now.kind === 'dead' && now.text === seen.text) removeQuietly(path);
  } finally {
    removeQuietly(guard);
  }
  return false;
}

/** Creates `path` holding this process's pid; false when it exists. */
function createWithPid(path: string, dir: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError(error, dir, 'lock');
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } catch (error) {
    removeQuietly(path); // a lock naming no process would stop the next run for nothing
    throw ioError(error, dir, 'lock');
  } finally {
    closeSync(fd);
  }
  return true;
}

function holderOf(path: string, dir: string): Holder {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw ioError(error, dir, 'read the lock');
  }
  try {
    // A pid and a newline; more is not a lock etcd-pki wrote, and is read as a dead run's.
    const buffer = Buffer.alloc(32);
    const text = buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0));
    if (text === '') return Date.now() - fstatSync(fd).mtimeMs < EMPTY_LOCK_GRACE_MS ? { kind: 'starting' } : { kind: 'dead', text };
    const pid = /^\d+\n$/.test(text) ? Number(text.trim()) : NaN;
    return Number.isSafeInteger(pid) && pid > 0 && isProcessRunning(pid) ? { kind: 'alive', pid } : { kind: 'dead', text };
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
