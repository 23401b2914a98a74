import { closeSync, constants, lstatSync, mkdirSync, openSync, rmdirSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { PkiError } from '../errors.js';
import { SECRET_DIR_MODE, type FileSet } from '../fileset.js';
import { ioError } from './input.js';

/*
 * The directories a write goes into: checked before anything is written (real directories, no
 * symbolic links, writable), made with the right modes, and removed again when the write fails.
 */

const NOFOLLOW_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function symlinkError(path: string): PkiError {
  return new PkiError('UNSAFE_PATH', 'is a symbolic link; etcd-pki does not write through links', {
    file: path,
    hint: 'remove the link, or write somewhere else',
  });
}

// The output directory may be a link the user chose; it must lead to a directory, if it exists.
export async function assertDirectoryOrAbsent(dir: string): Promise<void> {
  const found = statOrAbsent(dir, 'use the output directory');
  if (found && !found.isDirectory()) throw notADirectory(dir);
}

/**
 * stat(2) of `path`, undefined when it does not exist. The directory checks here run once per
 * write and take microseconds: they call the system directly rather than through the thread pool.
 */
function statOrAbsent(path: string, verb: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw ioError(error, path, verb);
  }
}

export function notADirectory(dir: string): PkiError {
  return new PkiError('IO', 'the output directory is a file, not a directory', {
    file: dir,
    hint: 'choose a directory with -dir, or move the file away',
  });
}

/**
 * Every directory between outDir and the file must be a real directory (or not exist yet).
 * Returns whether the file's directory exists; `checked` and `absent` remember the answers.
 */
export function assertNoSymlinkBelow(outDir: string, relative: string, checked: Set<string>, absent: Set<string>): boolean {
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
export async function makeDirectory(dir: string, holdsSecrets: boolean, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    const found = statOrAbsent(current, 'create directory');
    if (found) {
      if (!found.isDirectory()) throw notADirectory(current);
      break;
    }
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const [index, path] of missing.entries()) {
    try {
      mkdirSync(path, { mode: holdsSecrets && index === missing.length - 1 ? SECRET_DIR_MODE : 0o755 });
      created.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError(error, path, 'create directory');
    }
  }
}

/** Relative directories (`a`, `a/b`) that hold a private key somewhere below them. */
export function directoriesHoldingSecrets(set: FileSet): Set<string> {
  const out = new Set<string>();
  for (const file of set.files) {
    if (!file.secret) continue;
    const segments = file.path.split('/').slice(0, -1);
    segments.forEach((_, i) => out.add(segments.slice(0, i + 1).join('/')));
  }
  return out;
}

export function makeDirectories(outDir: string, relative: string, secretDirs: Set<string>, made: Set<string>, created: string[]): void {
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
export async function removeDirectories(created: string[]): Promise<void> {
  for (const dir of [...created].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty (someone else's file) or already gone
    }
  }
  created.length = 0;
}

/**
 * Fails early, before any key is generated, when `dir` cannot take new files: it is a file, or
 * the nearest directory that exists (where `dir` would be created) is not writable or has no
 * space. Creates nothing: a probe file is written and removed again. While it exists it is in
 * `inFlight`, so that a signal meanwhile removes it too (cli/main.ts). System calls on a local
 * directory take microseconds, so they are made here directly rather than on the thread pool.
 */
export async function assertWritableDirectory(dir: string, inFlight?: Set<string>): Promise<void> {
  let existing = dir;
  for (;;) {
    let found;
    try {
      found = statSync(existing, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw ioError(error, dir, 'use the output directory');
    }
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
  inFlight?.add(probe);
  let fd: number | undefined;
  try {
    fd = openSync(probe, NOFOLLOW_CREATE, 0o600);
    // A full file system or quota refuses the write itself: local file systems reserve the
    // blocks when write(2) is called, so no fsync is needed to learn it.
    writeSync(fd, Buffer.alloc(4096));
  } catch (error) {
    throw ioError(error, dir, 'write to the output directory');
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // never created
    }
    inFlight?.delete(probe);
  }
}
