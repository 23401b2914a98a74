import { readFile } from 'node:fs/promises';
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
      throw new PkiError('IO', `standard input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, { file: '-' });
    }
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * The bytes of `path`, or of standard input when `path` is `-` (as in cfssl).
 * @throws PkiError IO naming the file and what is wrong (missing, a directory, unreadable, too big).
 */
export async function readInput(path: string, stdin: StdinReader): Promise<Uint8Array> {
  if (path === '-') return stdin();
  try {
    const data = await readFile(path);
    if (data.length > MAX_INPUT_BYTES) {
      throw new PkiError('IO', `file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; is it the right file?`, { file: path });
    }
    return new Uint8Array(data);
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw ioError(error, path, 'read');
  }
}

/** Reads a text input (JSON, PEM); NUL bytes mean binary garbage and are refused clearly. */
export async function readTextInput(path: string, stdin: StdinReader): Promise<string> {
  const data = await readInput(path, stdin);
  return Buffer.from(data).toString('utf8');
}

/** A PkiError for a failed file operation, with the errno turned into words. */
export function ioError(error: unknown, file: string, verb: string): PkiError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, [string, string | undefined]> = {
    ENOENT: ['no such file or directory', 'check the path'],
    EISDIR: ['is a directory, not a file', undefined],
    ENOTDIR: ['a part of the path is not a directory', undefined],
    EACCES: ['permission denied', 'check the owner and mode of the file and its directory'],
    EPERM: ['operation not permitted', 'check the owner and mode of the file and its directory'],
    ENOSPC: ['no space left on the device', 'free some space and run again; nothing was changed'],
    EROFS: ['the file system is read-only', undefined],
    ELOOP: ['is a symbolic link, which etcd-pki does not follow for output', 'remove the link or choose another path'],
    EEXIST: ['already exists', undefined],
  };
  const [reason, hint] = (code && reasons[code]) || [(error as Error | undefined)?.message ?? 'failed', undefined];
  return new PkiError('IO', `cannot ${verb}: ${reason}`, { file, hint, cause: error });
}
