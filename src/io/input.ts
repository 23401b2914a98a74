import { readFile, readFileSync, statSync } from 'node:fs';
import { PkiError } from '../errors.js';

/** Inputs larger than this are refused before parsing: no certificate, key or config is that big. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** Where `-` reads from; injected so tests need no real stdin. */
export type StdinReader = () => Promise<Uint8Array>;

/** Reads all of a stream into memory, refusing more than MAX_INPUT_BYTES. */
export async function readStream(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      throw new PkiError('IO', `the input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, {
        file: 'standard input',
        hint: 'is it the right input? certificates, keys and configurations are a few KiB',
      });
    }
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** How messages name an input: `-` is standard input. */
export function inputName(path: string): string {
  return path === '-' ? 'standard input' : path;
}

/**
 * The bytes of `path`, or of standard input when `path` is `-` (as in cfssl).
 * @throws PkiError IO naming the file and what is wrong (missing, a directory, unreadable, too big).
 */
export async function readInput(path: string, stdin: StdinReader): Promise<Uint8Array> {
  if (path === '-') return stdin();
  try {
    // A regular file is read at once: a thread-pool round trip for each of open, stat, read and
    // close is most of reading a 1 KB file, and short commands read three or four. Anything else
    // (a FIFO, /dev/stdin, <(...)) may block until its writer is done, so it is read on the pool,
    // where a signal meanwhile is still handled.
    const found = statSync(path);
    if (found.size > MAX_INPUT_BYTES) throw tooLarge(path);
    const data = found.isFile() ? readFileSync(path) : await readFileOnPool(path);
    if (data.length > MAX_INPUT_BYTES) throw tooLarge(path);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw ioError(error, path, 'read');
  }
}

function tooLarge(path: string): PkiError {
  return new PkiError('IO', `the file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, {
    file: path,
    hint: 'is it the right file? certificates, keys and configurations are a few KiB',
  });
}

const readFileOnPool = (path: string) =>
  new Promise<Buffer>((resolve, reject) => readFile(path, (error, data) => (error ? reject(error) : resolve(data))));

/**
 * Reads a JSON input as text. Bytes that are not UTF-8, and NUL bytes, mean binary data (a key, a
 * DER file, a wrong path) and are refused clearly instead of being read as U+FFFD.
 * @throws PkiError IO as readInput does; INVALID_JSON for binary data.
 */
export async function readTextInput(path: string, stdin: StdinReader): Promise<string> {
  const data = await readInput(path, stdin);
  const binary = (why: string) =>
    new PkiError('INVALID_JSON', `the file ${why}, so it is not a JSON file`, {
      file: inputName(path),
      hint: 'is it the right file? give the JSON file, saved as UTF-8 text',
    });
  if (data.includes(0)) throw binary('holds NUL bytes');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw binary('is not UTF-8 text');
  }
}

/** A PkiError for a failed file operation, with the errno turned into words. */
export function ioError(error: unknown, file: string, verb: string): PkiError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, [string, string | undefined]> = {
    ENOENT: ['no such file or directory', 'check the path'],
    EISDIR: ['is a directory, not a file', 'give the path of a file'],
    ENOTDIR: ['a part of the path is not a directory', 'check the path'],
    EACCES: ['permission denied', 'check the owner and mode of the file and its directory'],
    EPERM: ['operation not permitted', 'check the owner and mode of the file and its directory'],
    ENOSPC: ['no space left on the device', 'free some space and run again; nothing was changed'],
    EROFS: ['the file system is read-only', 'choose a writable directory with -dir'],
    ELOOP: ['is a symbolic link, which etcd-pki does not follow for output', 'remove the link or choose another path'],
    EEXIST: ['already exists', 'move it away, or choose another name'],
    EMFILE: ['too many open files', 'raise the limit (ulimit -n) and run again'],
    ENAMETOOLONG: ['the file name is too long', 'choose a shorter name'],
  };
  const [reason, hint] = (code && reasons[code]) || [(error as Error | undefined)?.message ?? 'failed', undefined];
  return new PkiError('IO', `cannot ${verb}: ${reason}`, { file, hint, cause: error });
}
