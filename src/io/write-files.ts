import {
  closeSync,
  constants,
  fchmodSync,
  linkSync,
  lstatSync,
  statSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { PkiError } from '../errors.js';
import type { FileSet, PlannedFile } from '../fileset.js';
import { ioError } from './input.js';
import { assertRelativePath } from './safe-path.js';
import { directoriesOf, flushToDisk } from './flush.js';
import { LOCK_FILE, lockDirectory, type DirectoryLock, type LockOptions } from './lock.js';
import { processUmask } from './umask.js';
import { writeOnWorker, type WorkerWrites } from './worker-writes.js';
import {
  assertDirectoryOrAbsent,
  assertNoSymlinkBelow,
  directoriesHoldingSecrets,
  makeDirectories,
  makeDirectory,
  removeDirectories,
  symlinkError,
} from './directories.js';

export { assertWritableDirectory } from './directories.js';

export interface WriteFileSetOptions {
  /** Replace existing private keys. Default false: an existing key stops the run before anything is written. */
  readonly force?: boolean;
  /**
   * Temp files in flight, so a signal handler can remove them (see cli/main.ts). Entries are
   * added before a temp file is created and removed once it is renamed or deleted.
   */
  readonly inFlight?: Set<string>;
  /** Called once per file as it is written (progress). */
  readonly onFile?: (file: PlannedFile) => void;
  /**
   * Stops the write while temp files are still being made: they and any directory made for them
   * are removed and PkiError INTERRUPTED is thrown, leaving the directory as it was. Once the
   * renames have begun (a few milliseconds) the set is completed and the signal is ignored.
   * Default: never stopped.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Remove temp files an earlier run left in the directories written to (a SIGKILL gives no
   * chance to clean up): `true` removes them all, which is only safe while holding the
   * directory's lock; `{ olderThanMs }` removes those untouched for that long, which no live run
   * leaves (a write takes milliseconds). Default: none removed.
   */
  readonly removeStaleTemps?: boolean | { readonly olderThanMs: number };
  /**
   * `outDir` is a private directory this run made and moves into place whole when done
   * (io/staging.ts): files are written under their final names at once, with no temp files or
   * renames, since nobody sees the directory before it is complete. Default false.
   */
  readonly staged?: boolean;
  /**
   * A lock file to hold in `outDir` while writing (see io/lock.ts), for writers that take no lock
   * on the whole directory (gencert -bare): two runs writing the same names then cannot interleave
   * their renames and leave one run's key beside the other's certificate; the second fails LOCKED.
   * It is in `inFlight` while held, so that a signal handler removes it with the temp files.
   */
  readonly lock?: LockOptions;
  /**
   * Files (relative paths) whose existing, different contents are replaced only with `force`: a
   * certificate written without its key (sign -bare, json -bare of input without "key") would
   * no longer match the key beside it. Default: none.
   */
  readonly keepUnlessForced?: readonly string[];
  /**
   * The files the run read (-ca, -ca-key, the request) and the flag each came from: none is
   * written over without `force`, by whatever path it is reached. Default: none.
   */
  readonly inputs?: ReadonlyArray<{ readonly path: string; readonly flag: string }>;
}

export interface WriteReport {
  /** Paths (relative) written or replaced. */
  readonly written: readonly string[];
  /** Paths left alone because they already held exactly these bytes. */
  readonly unchanged: readonly string[];
}

const NOFOLLOW_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

interface PlannedWrite {
  readonly file: PlannedFile;
  readonly target: string;
  readonly temp: string;
  /** The target existed (and is replaced by rename); new keys are linked so nothing is clobbered. */
  readonly replaces: boolean;
}

/**
 * Writes a FileSet under `outDir` so that a failure or a kill leaves each file either as it was
 * or complete: every check first (paths stay inside `outDir`, no symlinks, no existing key
 * replaced without `force`), then each file to a temp file in its own directory, created with its
 * final mode (keys 0600 from open, never chmod-ed later) and fsync-ed, then moved into place,
 * keys before certificates. `outDir` and the directories below it are created as needed (0700
 * when they hold keys) and removed again when the write fails. A new key is moved into place with
 * link(2), which never replaces a key that another run wrote in the meantime.
 * @throws PkiError FILE_EXISTS, UNSAFE_PATH, IO or INTERRUPTED, naming the file; nothing is
 * written then, and nothing this call created is left behind.
 */
export async function writeFileSet(outDir: string, set: FileSet, options: WriteFileSetOptions = {}): Promise<WriteReport> {
  const plan: PlannedWrite[] = [];
  const unchanged: string[] = [];
  await assertDirectoryOrAbsent(outDir);
  const checkedDirs = new Set<string>();
  const absentDirs = new Set<string>();
  const tempPrefix = randomBytes(3).toString('hex');
  const inputs = inputIdentities(options.inputs ?? []);
  for (const [index, file] of set.files.entries()) {
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    assertRelativePath(file.path);
    const target = join(outDir, ...file.path.split('/'));
    // A file in a directory that does not exist yet does not exist either: no lstat for it. A
    // staged directory is empty and private (0700, made by this run a moment ago): nothing to check.
    const parentExists = !options.staged && assertNoSymlinkBelow(outDir, file.path, checkedDirs, absentDirs);
    const existing = parentExists ? existingFile(target, file.contents) : undefined;
    if (existing) {
      if (existing.same) {
        unchanged.push(file.path);
        continue;
      }
      if (file.secret && !options.force) throw keyExists(target);
      const input = inputs.get(existing.id);
      if (input !== undefined && !options.force) throw inputExists(target, input);
      if (options.keepUnlessForced?.includes(file.path) && !options.force) throw certificateExists(target);
    }
    const temp = options.staged
      ? target
      : join(dirname(target), `.${file.path.split('/').pop()}.${tempPrefix}${(index & 0xffffff).toString(16).padStart(6, '0')}.tmp`);
    plan.push({ file, target, temp, replaces: existing !== undefined });
  }

  // A staged directory was made by this run a moment ago: nothing stale can be in it.
  if (options.removeStaleTemps && !options.staged) {
    const olderThanMs = options.removeStaleTemps === true ? 0 : options.removeStaleTemps.olderThanMs;
    removeStaleTemps(new Set(plan.map(({ target }) => dirname(target))), olderThanMs);
  }

  // Every temp path is in flight from before the first directory is made until it is renamed or
  // removed, so a signal handler that sees none in flight knows no write is half done.
  const inFlight = options.inFlight ?? new Set<string>();
  for (const { temp } of plan) inFlight.add(temp);
  const createdDirs: string[] = [];
  const secretDirs = directoriesHoldingSecrets(set);
  const madeDirs = new Set<string>();
  let lock: DirectoryLock | undefined;
  const lockPath = options.lock ? join(outDir, options.lock.file ?? LOCK_FILE) : undefined;
  const unlock = async () => {
    await lock?.release();
    lock = undefined;
    if (lockPath) inFlight.delete(lockPath);
  };
  let worker: WorkerWrites | undefined;
  const discard = async (temps: readonly string[]) => {
    await worker?.stop(); // before its files are removed: it could write one more
    for (const temp of temps) unlinkSyncQuiet(temp);
    await unlock(); // before the directories it is in are removed
    await removeDirectories(createdDirs);
    for (const { temp } of plan) inFlight.delete(temp);
  };
  try {
    checkSignal(options.signal, outDir);
    if (plan.length > 0) {
      await makeDirectory(
        outDir,
        set.files.some((f) => f.secret && !f.path.includes('/')),
        createdDirs,
      );
      if (options.lock && lockPath) {
        inFlight.add(lockPath);
        lock = await lockDirectory(outDir, options.lock).catch((error: unknown) => {
          inFlight.delete(lockPath);
          throw error;
        });
      }
    }
    const umask = processUmask();
    let mine: readonly PlannedWrite[] = plan;
    if (options.staged && plan.length >= WORKER_WRITES_FROM) {
      // A staged directory's files are all new: a worker thread writes half of them meanwhile.
      for (const { file } of plan) makeDirectories(outDir, file.path, secretDirs, madeDirs, createdDirs);
      const [ours, theirs] = splitBySize(plan);
      mine = ours;
      worker = await writeOnWorker(
        theirs.map(({ file, temp }) => ({ path: temp, contents: file.contents, mode: file.mode })),
        NOFOLLOW_CREATE,
        umask,
      );
    }
    for (const [index, { file, temp }] of mine.entries()) {
      makeDirectories(outDir, file.path, secretDirs, madeDirs, createdDirs);
      writeNewFile(temp, file, umask);
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      checkSignal(options.signal, outDir);
    }
    const failure = await worker?.done;
    worker = undefined;
    if (failure) {
      throw ioError(Object.assign(new Error(failure.message), { code: failure.code }), failure.path, 'write');
    }
    // Staged files are already under their final names: their directory entries must be durable
    // too before the caller moves the directory into place.
    const written = plan.map(({ temp }) => temp);
    await flushToDisk(outDir, options.staged ? [...written, ...directoriesOf(outDir, written)] : written);
  } catch (error) {
    await discard(plan.map(({ temp }) => temp));
    throw error instanceof PkiError ? error : ioError(error, outDir, 'write to');
  }
  if (options.staged) {
    await unlock();
    for (const { temp } of plan) inFlight.delete(temp);
    for (const { file } of plan) options.onFile?.(file);
    return { written: plan.map(({ file }) => file.path), unchanged };
  }

  // Keys first: a kill between two renames must never leave a certificate without its key.
  const ordered = [...plan].sort((a, b) => Number(b.file.secret) - Number(a.file.secret));
  const committed: PlannedWrite[] = [];
  for (const [index, entry] of ordered.entries()) {
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    try {
      commit(entry, options.force ?? false);
      committed.push(entry);
    } catch (error) {
      // Only new keys can be undone: they are ours, and nothing they replaced is lost.
      if (committed.every((c) => c.file.secret && !c.replaces)) {
        for (const c of committed) unlinkSyncQuiet(c.target);
      }
      await discard(ordered.filter((e) => !committed.includes(e)).map((e) => e.temp));
      throw error instanceof PkiError ? error : ioError(error, entry.target, 'replace');
    }
    inFlight.delete(entry.temp);
    options.onFile?.(entry.file);
  }
  try {
    await flushToDisk(outDir, [...new Set(ordered.map(({ target }) => dirname(target)))]);
  } finally {
    await unlock();
  }
  return { written: ordered.map(({ file }) => file.path), unchanged };
}

function commit(entry: PlannedWrite, force: boolean): void {
  if (entry.file.secret && !entry.replaces && !force) {
    try {
      linkSync(entry.temp, entry.target);
      unlinkSyncQuiet(entry.temp);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw keyExists(entry.target);
      // File systems without hard links: check, then rename (a narrower guarantee).
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      if (exists(entry.target)) throw keyExists(entry.target);
    }
  }
  renameSync(entry.temp, entry.target);
}

/** From this many files in a staged directory, a worker thread writes half of them (io/worker-writes.ts). */
const WORKER_WRITES_FROM = 2048;

/** `plan` in two halves of about equal bytes, each in plan order. */
function splitBySize(plan: readonly PlannedWrite[]): [PlannedWrite[], PlannedWrite[]] {
  const size = (entry: PlannedWrite) =>
    typeof entry.file.contents === 'string' ? entry.file.contents.length : entry.file.contents.byteLength;
  const total = plan.reduce((sum, entry) => sum + size(entry), 0);
  const halves: [PlannedWrite[], PlannedWrite[]] = [[], []];
  let first = 0;
  for (const entry of plan) {
    const toFirst = first <= total / 2;
    halves[toFirst ? 0 : 1].push(entry);
    if (toFirst) first += size(entry);
  }
  return halves;
}

/**
 * Files are written with synchronous calls in batches, yielding to the event loop between
 * batches (so a signal is still handled within one batch): a bulk bundle writes thousands of
 * small files, and a thread-pool round trip per system call would cost most of the run.
 */
const YIELD_EVERY = 256;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// `.NAME.<12 hex>.tmp`, the names writeFileSet gives its temp files.
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

function removeStaleTemps(directories: Set<string>, olderThanMs: number): void {
  const cutoff = Date.now() - olderThanMs;
  for (const directory of directories) {
    let entries: string[];
    try {
      entries = readdirSync(directory);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!TEMP_NAME.test(entry)) continue;
      const path = join(directory, entry);
      const found = lstatSync(path, { throwIfNoEntry: false });
      if (found?.isFile() && found.mtimeMs <= cutoff) unlinkSyncQuiet(path);
    }
  }
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function unlinkSyncQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** The files a run read, by device and inode (so that another path to the same file is found). */
function inputIdentities(inputs: ReadonlyArray<{ readonly path: string; readonly flag: string }>): Map<string, string> {
  const found = new Map<string, string>();
  for (const { path, flag } of inputs) {
    if (path === '-') continue;
    const info = statSync(path, { throwIfNoEntry: false });
    if (info) found.set(`${info.dev}:${info.ino}`, flag);
  }
  return found;
}

function inputExists(target: string, flag: string): PkiError {
  return new PkiError('FILE_EXISTS', `refusing to write over this run's own input (${flag})`, {
    file: target,
    hint: 'choose another -bare name, or pass --force to replace it',
  });
}

function certificateExists(target: string): PkiError {
  return new PkiError('FILE_EXISTS', 'refusing to replace an existing certificate of another public key', {
    file: target,
    hint: 'it belongs to the key beside it, which the new one does not match; move it away first, or pass --force to replace it',
  });
}

function keyExists(target: string): PkiError {
  return new PkiError('FILE_EXISTS', 'refusing to overwrite an existing private key', {
    file: target,
    hint: 'move it away first, or pass --force to replace it (the old key is then lost)',
  });
}

function checkSignal(signal: AbortSignal | undefined, outDir: string): void {
  if (signal?.aborted) {
    throw new PkiError('INTERRUPTED', 'interrupted before the files were complete; nothing was written', { file: outDir });
  }
}

/** The file at `target`, if there is one: whether it holds `contents` already, and its identity. */
function existingFile(target: string, text: string | Uint8Array): { same: boolean; id: string } | undefined {
  const contents = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  try {
    const found = lstatSync(target, { throwIfNoEntry: false });
    if (found === undefined) return undefined;
    if (found.isSymbolicLink()) throw symlinkError(target);
    if (!found.isFile()) {
      throw new PkiError('IO', 'exists and is not a regular file', { file: target, hint: 'move it away, or choose another name' });
    }
    // A file of another size differs without being read (it may be huge).
    const same = found.size === contents.length && readFileSync(target).equals(contents);
    return { same, id: `${found.dev}:${found.ino}` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof PkiError) throw error;
    throw ioError(error, target, 'read');
  }
}

function writeNewFile(path: string, file: PlannedFile, umask: number | undefined): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, NOFOLLOW_CREATE, file.mode);
    // The mode passed to open is masked by the umask; fchmod before any byte is written keeps
    // keys at exactly 0600 without a window where they are readable. Under the usual umask (022)
    // open already gave the exact mode: skipping fchmod saves a bulk bundle 13,000 system calls.
    if (umask === undefined || (file.mode & umask) !== 0) fchmodSync(fd, file.mode);
    const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents;
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
    closeSync(fd);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    unlinkSyncQuiet(path);
    throw ioError(error, join(dirname(path), file.path.split('/').pop()!), 'write');
  }
}
