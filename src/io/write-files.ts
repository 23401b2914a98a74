import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { mkdir, open, rmdir, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { PkiError } from '../errors.js';
import { SECRET_DIR_MODE, type FileSet, type PlannedFile } from '../fileset.js';
import { ioError } from './input.js';
import { assertRelativePath } from './safe-path.js';

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
   * chance to clean up). Only safe while holding the directory's lock. Default false.
   */
  readonly removeStaleTemps?: boolean;
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
  for (const [index, file] of set.files.entries()) {
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    assertRelativePath(file.path);
    const target = join(outDir, ...file.path.split('/'));
    // A file in a directory that does not exist yet does not exist either: no lstat for it.
    const parentExists = assertNoSymlinkBelow(outDir, file.path, checkedDirs, absentDirs);
    const existing = parentExists ? existingFile(target) : undefined;
    if (existing) {
      if (Buffer.from(existing).equals(Buffer.from(file.contents))) {
        unchanged.push(file.path);
        continue;
      }
      if (file.secret && !options.force) throw keyExists(target);
    }
    const temp = join(dirname(target), `.${file.path.split('/').pop()}.${tempPrefix}${(index & 0xffffff).toString(16).padStart(6, '0')}.tmp`);
    plan.push({ file, target, temp, replaces: existing !== undefined });
  }

  if (options.removeStaleTemps) removeStaleTemps(new Set(plan.map(({ target }) => dirname(target))));

  // Every temp path is in flight from before the first directory is made until it is renamed or
  // removed, so a signal handler that sees none in flight knows no write is half done.
  const inFlight = options.inFlight ?? new Set<string>();
  for (const { temp } of plan) inFlight.add(temp);
  const createdDirs: string[] = [];
  const secretDirs = directoriesHoldingSecrets(set);
  const madeDirs = new Set<string>();
  const discard = async (temps: readonly string[]) => {
    await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
    await removeDirectories(createdDirs);
    for (const { temp } of plan) inFlight.delete(temp);
  };
  try {
    checkSignal(options.signal, outDir);
    if (plan.length > 0) {
      await makeDirectory(outDir, set.files.some((f) => f.secret && !f.path.includes('/')), createdDirs);
    }
    for (const [index, { file, temp }] of plan.entries()) {
      makeDirectories(outDir, file.path, secretDirs, madeDirs, createdDirs);
      writeNewFile(temp, file);
      if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      checkSignal(options.signal, outDir);
    }
    flushToDisk(outDir, plan.map(({ temp }) => temp));
  } catch (error) {
    await discard(plan.map(({ temp }) => temp));
    throw error instanceof PkiError ? error : ioError(error, outDir, 'write to');
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
        await Promise.all(committed.map((c) => unlink(c.target).catch(() => undefined)));
      }
      await discard(ordered.filter((e) => !committed.includes(e)).map((e) => e.temp));
      throw error instanceof PkiError ? error : ioError(error, entry.target, 'replace');
    }
    inFlight.delete(entry.temp);
    options.onFile?.(entry.file);
  }
  flushToDisk(outDir, [...new Set(ordered.map(({ target }) => dirname(target)))]);
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

/**
 * Files are written with synchronous calls in batches, yielding to the event loop between
 * batches (so a signal is still handled within one batch): a bulk bundle writes thousands of
 * small files, and a thread-pool round trip per system call would cost most of the run.
 */
const YIELD_EVERY = 256;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// Below this many files, fsync each one; above, one syncfs(2) of the output's file system
// (coreutils `sync -f`) flushes them all at once, falling back to fsync each when unavailable.
const FSYNC_EACH_LIMIT = 64;

/** Makes the contents of `paths` (files or directories) durable before anything depends on them. */
function flushToDisk(outDir: string, paths: readonly string[]): void {
  if (paths.length > FSYNC_EACH_LIMIT) {
    const result = spawnSync('sync', ['-f', outDir], { stdio: 'ignore' });
    if (!result.error && result.status === 0) return;
  }
  for (const path of paths) {
    const fd = openSync(path, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

// `.NAME.<12 hex>.tmp`, the names writeFileSet gives its temp files.
const TEMP_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/;

function removeStaleTemps(directories: Set<string>): void {
  for (const directory of directories) {
    let entries: string[];
    try {
      entries = readdirSync(directory);
    } catch {
      continue;
    }
    for (const entry of entries) if (TEMP_NAME.test(entry)) unlinkSyncQuiet(join(directory, entry));
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

function existingFile(target: string): Uint8Array | undefined {
  try {
    const found = lstatSync(target, { throwIfNoEntry: false });
    if (found === undefined) return undefined;
    if (found.isSymbolicLink()) throw symlinkError(target);
    if (!found.isFile()) {
      throw new PkiError('IO', 'exists and is not a regular file', { file: target, hint: 'move it away, or choose another name' });
    }
    return new Uint8Array(readFileSync(target));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof PkiError) throw error;
    throw ioError(error, target, 'read');
  }
}

function symlinkError(path: string): PkiError {
  return new PkiError('UNSAFE_PATH', 'is a symbolic link; etcd-pki does not write through links', {
    file: path,
    hint: 'remove the link, or write somewhere else',
  });
}

// The output directory may be a link the user chose; it must lead to a directory, if it exists.
async function assertDirectoryOrAbsent(dir: string): Promise<void> {
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw ioError(error, dir, 'use the output directory');
  });
  if (found && !found.isDirectory()) throw notADirectory(dir);
}

function notADirectory(dir: string): PkiError {
  return new PkiError('IO', 'the output directory is a file, not a directory', {
    file: dir,
    hint: 'choose a directory with -dir, or move the file away',
  });
}

/**
 * Every directory between outDir and the file must be a real directory (or not exist yet).
 * Returns whether the file's directory exists; `checked` and `absent` remember the answers.
 */
function assertNoSymlinkBelow(outDir: string, relative: string, checked: Set<string>, absent: Set<string>): boolean {
  const segments = relative.split('/').slice(0, -1);
  let current = outDir;
  for (const segment of segments) {
    current = join(current, segment);
    if (checked.has(current)) continue;
    if (absent.has(current)) return false;
    const found = lstatSync(current, { throwIfNoEntry: false });
    if (found === undefined) {
      absent.add(current);
      return false;
    }
    if (found.isSymbolicLink()) throw symlinkError(current);
    if (!found.isDirectory()) throw new PkiError('IO', 'exists and is not a directory', { file: current, hint: 'move it away' });
    checked.add(current);
  }
  return true;
}

/** mkdir -p of `dir`, recording each directory it made (outermost first) in `created`. */
async function makeDirectory(dir: string, holdsSecrets: boolean, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw ioError(error, current, 'create directory');
    });
    if (found) {
      if (!found.isDirectory()) throw notADirectory(current);
      break;
    }
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const [index, path] of missing.entries()) {
    try {
      await mkdir(path, { mode: holdsSecrets && index === missing.length - 1 ? SECRET_DIR_MODE : 0o755 });
      created.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, path, 'create directory');
    }
  }
}

/** Relative directories (`a`, `a/b`) that hold a private key somewhere below them. */
function directoriesHoldingSecrets(set: FileSet): Set<string> {
  const out = new Set<string>();
  for (const file of set.files) {
    if (!file.secret) continue;
    const segments = file.path.split('/').slice(0, -1);
    segments.forEach((_, i) => out.add(segments.slice(0, i + 1).join('/')));
  }
  return out;
}

function makeDirectories(outDir: string, relative: string, secretDirs: Set<string>, made: Set<string>, created: string[]): void {
  const segments = relative.split('/').slice(0, -1);
  let current = outDir;
  let prefix = '';
  for (const segment of segments) {
    current = join(current, segment);
    prefix = prefix ? `${prefix}/${segment}` : segment;
    if (made.has(prefix)) continue;
    made.add(prefix);
    try {
      mkdirSync(current, { mode: secretDirs.has(prefix) ? SECRET_DIR_MODE : 0o755 });
      created.push(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, current, 'create directory');
    }
  }
}

// Innermost first; rmdir only removes empty directories, so nothing else is ever deleted.
async function removeDirectories(created: string[]): Promise<void> {
  for (const dir of [...created].reverse()) await rmdir(dir).catch(() => undefined);
  created.length = 0;
}

function writeNewFile(path: string, file: PlannedFile): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, NOFOLLOW_CREATE, file.mode);
    // The mode passed to open is masked by the umask; fchmod before any byte is written keeps
    // keys at exactly 0600 without a window where they are readable.
    fchmodSync(fd, file.mode);
    const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
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

/**
 * Fails early, before any key is generated, when `dir` cannot take new files: it is a file, or
 * the nearest directory that exists (where `dir` would be created) is not writable or has no
 * space. Creates nothing: a probe file is written and removed again.
 */
export async function assertWritableDirectory(dir: string): Promise<void> {
  let existing = dir;
  for (;;) {
    const found = await stat(existing).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw ioError(error, dir, 'use the output directory');
    });
    if (found?.isDirectory()) break;
    if (found) {
      if (existing === dir) throw notADirectory(dir);
      throw new PkiError('IO', `cannot create the output directory: a part of its path is a file (${existing})`, {
        file: dir,
        hint: 'choose a directory with -dir, or move the file away',
      });
    }
    if (dirname(existing) === existing) break;
    existing = dirname(existing);
  }
  const probe = join(existing, `.etcd-pki-probe.${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(probe, NOFOLLOW_CREATE, 0o600);
    try {
      await handle.writeFile(Buffer.alloc(4096));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw ioError(error, dir, 'write to the output directory');
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}
