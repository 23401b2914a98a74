import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
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
}

export interface WriteReport {
  /** Paths (relative) written or replaced. */
  readonly written: readonly string[];
  /** Paths left alone because they already held exactly these bytes. */
  readonly unchanged: readonly string[];
}

const NOFOLLOW_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes a FileSet under `outDir` so that a failure or a kill leaves each file either as it was
 * or complete: every check first (paths stay inside `outDir`, no symlinks, no existing key
 * replaced without `force`), then each file to a temp file in its own directory, created with its
 * final mode (keys 0600 from open, never chmod-ed later) and fsync-ed, then renamed into place,
 * keys before certificates. Directories holding keys are created 0700.
 * @throws PkiError FILE_EXISTS, UNSAFE_PATH or IO, naming the file; nothing is written then.
 */
export async function writeFileSet(outDir: string, set: FileSet, options: WriteFileSetOptions = {}): Promise<WriteReport> {
  const plan: Array<{ file: PlannedFile; target: string; temp: string }> = [];
  const unchanged: string[] = [];
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
      if (file.secret && !options.force) {
        throw new PkiError('FILE_EXISTS', `refusing to overwrite the existing private key ${target}`, {
          file: target,
          hint: 'move it away first, or pass --force to replace it (the old key is then lost)',
        });
      }
    }
    plan.push({ file, target, temp: join(dirname(target), `.${file.path.split('/').pop()}.${randomBytes(6).toString('hex')}.tmp`) });
  }

  const inFlight = options.inFlight ?? new Set<string>();
  const created: string[] = [];
  try {
    for (const { file, temp } of plan) {
      await makeDirectories(outDir, file.path, set);
      inFlight.add(temp);
      await writeNewFile(temp, file);
      created.push(temp);
    }
  } catch (error) {
    await Promise.all(created.map((temp) => unlink(temp).catch(() => undefined)));
    for (const { temp } of plan) inFlight.delete(temp);
    throw error instanceof PkiError ? error : ioError(error, outDir, 'write to');
  }

  // Keys first: a kill between two renames must never leave a certificate without its key.
  const ordered = [...plan].sort((a, b) => Number(b.file.secret) - Number(a.file.secret));
  for (const { file, target, temp } of ordered) {
    try {
      await rename(temp, target);
    } catch (error) {
      throw ioError(error, target, 'replace');
    } finally {
      inFlight.delete(temp);
    }
    options.onFile?.(file);
  }
  await syncDirectories(new Set(ordered.map(({ target }) => dirname(target))));
  return { written: ordered.map(({ file }) => file.path), unchanged };
}

async function existingFile(target: string): Promise<Uint8Array | undefined> {
  try {
    const stat = await lstat(target);
    if (stat.isSymbolicLink()) {
      throw new PkiError('UNSAFE_PATH', `${target} is a symbolic link; etcd-pki does not write through links`, {
        file: target,
        hint: 'remove the link, or write somewhere else',
      });
    }
    if (!stat.isFile()) throw new PkiError('IO', `${target} exists and is not a regular file`, { file: target });
    return new Uint8Array(await readFile(target));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof PkiError) throw error;
    throw ioError(error, target, 'read');
  }
}

// Every directory between outDir and the file must be a real directory (or not exist yet).
async function assertNoSymlinkBelow(outDir: string, relative: string): Promise<void> {
  const segments = relative.split('/').slice(0, -1);
  let current = outDir;
  for (const segment of segments) {
    current = join(current, segment);
    try {
      const stat = await lstat(current);
      if (stat.isSymbolicLink()) {
        throw new PkiError('UNSAFE_PATH', `${current} is a symbolic link; etcd-pki does not write through links`, {
          file: current,
          hint: 'remove the link, or choose another output directory',
        });
      }
      if (!stat.isDirectory()) throw new PkiError('IO', `${current} exists and is not a directory`, { file: current });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
  }
}

async function makeDirectories(outDir: string, relative: string, set: FileSet): Promise<void> {
  const segments = relative.split('/').slice(0, -1);
  let current = outDir;
  let prefix = '';
  for (const segment of segments) {
    current = join(current, segment);
    prefix = prefix ? `${prefix}/${segment}` : segment;
    const holdsSecrets = set.files.some((f) => f.secret && f.path.startsWith(`${prefix}/`));
    try {
      await mkdir(current, { mode: holdsSecrets ? SECRET_DIR_MODE : 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, current, 'create directory');
    }
  }
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
    throw ioError(error, path, 'write');
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
 * Fails early, before any key is generated, when `dir` cannot take new files: it is missing and
 * cannot be created, is not writable, or has no space.
 */
export async function assertWritableDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw ioError(error, dir, 'create the output directory');
  }
  const probe = join(dir, `.etcd-pki-probe.${randomBytes(6).toString('hex')}`);
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
