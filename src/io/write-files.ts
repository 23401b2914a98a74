import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
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
  for (const file of set.files) {
    assertRelativePath(file.path);
    const target = join(outDir, ...file.path.split('/'));
    await assertNoSymlinkBelow(outDir, file.path);
    const existing = await existingFile(target);
    if (existing) {
      if (Buffer.from(existing).equals(Buffer.from(file.contents))) {
        unchanged.push(file.path);
        continue;
      }
      if (file.secret && !options.force) throw keyExists(target);
    }
    const temp = join(dirname(target), `.${file.path.split('/').pop()}.${randomBytes(6).toString('hex')}.tmp`);
    plan.push({ file, target, temp, replaces: existing !== undefined });
  }

  // Every temp path is in flight from before the first directory is made until it is renamed or
  // removed, so a signal handler that sees none in flight knows no write is half done.
  const inFlight = options.inFlight ?? new Set<string>();
  for (const { temp } of plan) inFlight.add(temp);
  const createdDirs: string[] = [];
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
    for (const { file, temp } of plan) {
      await makeDirectories(outDir, file.path, set, createdDirs);
      checkSignal(options.signal, outDir);
      await writeNewFile(temp, file);
      checkSignal(options.signal, outDir);
    }
  } catch (error) {
    await discard(plan.map(({ temp }) => temp));
    throw error instanceof PkiError ? error : ioError(error, outDir, 'write to');
  }

  // Keys first: a kill between two renames must never leave a certificate without its key.
  const ordered = [...plan].sort((a, b) => Number(b.file.secret) - Number(a.file.secret));
  const committed: PlannedWrite[] = [];
  for (const entry of ordered) {
    try {
      await commit(entry, options.force ?? false);
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
  await syncDirectories(new Set(ordered.map(({ target }) => dirname(target))));
  return { written: ordered.map(({ file }) => file.path), unchanged };
}

async function commit(entry: PlannedWrite, force: boolean): Promise<void> {
  if (entry.file.secret && !entry.replaces && !force) {
    try {
      await link(entry.temp, entry.target);
      await unlink(entry.temp);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw keyExists(entry.target);
      // File systems without hard links: check, then rename (a narrower guarantee).
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
      if (await lstat(entry.target).then(() => true, () => false)) throw keyExists(entry.target);
    }
  }
  await rename(entry.temp, entry.target);
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

async function existingFile(target: string): Promise<Uint8Array | undefined> {
  try {
    const stat = await lstat(target);
    if (stat.isSymbolicLink()) throw symlinkError(target);
    if (!stat.isFile()) {
      throw new PkiError('IO', 'exists and is not a regular file', { file: target, hint: 'move it away, or choose another name' });
    }
    return new Uint8Array(await readFile(target));
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

// Every directory between outDir and the file must be a real directory (or not exist yet).
async function assertNoSymlinkBelow(outDir: string, relative: string): Promise<void> {
  const segments = relative.split('/').slice(0, -1);
  let current = outDir;
  for (const segment of segments) {
    current = join(current, segment);
    try {
      const stat = await lstat(current);
      if (stat.isSymbolicLink()) throw symlinkError(current);
      if (!stat.isDirectory()) throw new PkiError('IO', 'exists and is not a directory', { file: current, hint: 'move it away' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }
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

async function makeDirectories(outDir: string, relative: string, set: FileSet, created: string[]): Promise<void> {
  const segments = relative.split('/').slice(0, -1);
  let current = outDir;
  let prefix = '';
  for (const segment of segments) {
    current = join(current, segment);
    prefix = prefix ? `${prefix}/${segment}` : segment;
    const holdsSecrets = set.files.some((f) => f.secret && f.path.startsWith(`${prefix}/`));
    try {
      await mkdir(current, { mode: holdsSecrets ? SECRET_DIR_MODE : 0o755 });
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

async function writeNewFile(path: string, file: PlannedFile): Promise<void> {
  let handle;
  try {
    handle = await open(path, NOFOLLOW_CREATE, file.mode);
    // The mode passed to open is masked by the umask; fchmod before any byte is written keeps
    // keys at exactly 0600 without a window where they are readable.
    await handle.chmod(file.mode);
    await handle.writeFile(typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents));
    await handle.sync();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    handle = undefined;
    await unlink(path).catch(() => undefined);
    throw ioError(error, join(dirname(path), file.path.split('/').pop()!), 'write');
  } finally {
    await handle?.close();
  }
}

async function syncDirectories(directories: Set<string>): Promise<void> {
  for (const directory of directories) {
    const handle = await open(directory, constants.O_RDONLY).catch(() => undefined);
    await handle?.sync().catch(() => undefined);
    await handle?.close();
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
