import { PkiError } from '../errors.js';

/**
 * Checks that a name chosen by a user (a `-bare` base name, a member or client name) is one plain
 * path segment, so it cannot escape the output directory: no separators, no `.`/`..`, no NUL,
 * no control characters, not empty.
 * @throws PkiError UNSAFE_PATH naming the value and what to write instead.
 */
export function assertPlainName(name: string, what: string): void {
  const fail = (why: string, hint: string) => new PkiError('UNSAFE_PATH', `${what} ${JSON.stringify(name)} ${why}`, { hint });
  if (name === '') throw fail('is empty', `give a ${what}`);
  if (name.includes('\0') || /[\x00-\x1f\x7f]/.test(name))
    throw fail('contains control characters', 'use letters, digits, "-", "_" and "."');
  if (name === '.' || name === '..') throw fail('is not a file name', 'use letters, digits, "-", "_" and "."');
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) {
    throw fail('is an absolute path, not a name', 'give a plain name, and choose the directory with -dir (or cd there first)');
  }
  if (name.includes('/') || name.includes('\\')) {
    throw fail('contains a path separator', 'give a plain name, and choose the directory with -dir (or cd there first)');
  }
  if (Buffer.byteLength(name) > 200) throw fail('is longer than 200 bytes', 'give a shorter name');
}

/**
 * Checks a relative path inside an output directory (from a FileSet): `/`-separated plain
 * segments, never absolute, never `..`.
 */
export function assertRelativePath(path: string): void {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw new PkiError('UNSAFE_PATH', `output path ${JSON.stringify(path)} is absolute`);
  }
  for (const segment of path.split('/')) assertPlainName(segment, 'path segment');
}
