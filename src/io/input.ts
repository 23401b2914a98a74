import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import { isatty, ReadStream as TtyReadStream } from 'node:tty';
import { PkiError } from '../errors.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The most etcd-pki reads of each kind of input, in bytes: several times the largest real one,
 * so that no real input is refused, and small enough that `/dev/zero` or `<(yes)` given by
 * mistake ends at once with an error naming the file and the limit (docs: "Input limits").
 */
export const INPUT_LIMITS = {
  /** A CSR JSON file (`*-csr.json`): 10,000 hosts are about 300 KiB. */
  request: { bytes: 1 * MiB, what: 'a CSR JSON file' },
  /** ca-config.json. */
  policy: { bytes: 1 * MiB, what: 'a ca-config.json' },
  /** A certificate or a chain of them, PEM or DER (a CA bundle of every public root is 250 KiB). */
  certificate: { bytes: 4 * MiB, what: 'a certificate file' },
  /** A private key, PEM or DER (RSA 8192 encrypted is under 7 KiB). */
  key: { bytes: 64 * KiB, what: 'a private key file' },
  /** A certificate request, PEM or DER (10,000 SANs are about 300 KiB). */
  csr: { bytes: 1 * MiB, what: 'a certificate request file' },
  /** cfssl's JSON output piped to `json` (certificate, request, key and bundle). */
  cfsslJson: { bytes: 4 * MiB, what: "cfssl's JSON output" },
  /** An etcd configuration: etcd.conf, an etcd YAML file or an etcdctl env file. */
  etcdConfig: { bytes: 1 * MiB, what: 'an etcd configuration file' },
  /** A cluster description (cluster.json). */
  cluster: { bytes: 4 * MiB, what: 'a cluster description' },
  /** A bundle's manifest.json (a digest per file; 1,000 members and 1,000 clients are about 4 MiB). */
  manifest: { bytes: 32 * MiB, what: 'a manifest.json' },
  /** Any other file of a bundle directory (certificates, keys, configurations, install.sh). */
  bundleFile: { bytes: 4 * MiB, what: 'a bundle file' },
  /** cfssl gencrl's serials file: one decimal serial a line (about 40 bytes each). */
  serials: { bytes: 16 * MiB, what: 'a serials file' },
  /** /etc/passwd or /etc/group. */
  accounts: { bytes: 16 * MiB, what: 'an account database' },
} as const;

/** What an input is, which sets its size limit. */
export type InputKind = keyof typeof INPUT_LIMITS;

/**
 * Where `-` reads from, at most `limit` bytes (more is an error naming `what` the input is);
 * injected so tests need no real stdin.
 */
export type StdinReader = (limit?: number, what?: string) => Promise<Uint8Array>;

/** The largest input of any kind. */
export const MAX_INPUT_BYTES = Math.max(...Object.values(INPUT_LIMITS).map((limit) => limit.bytes));

/**
 * Reads all of a stream into memory, refusing more than `limit` bytes: the stream is destroyed
 * as soon as it passes the limit, so an endless one costs no more than `limit`.
 * @throws PkiError IO naming `name` and the limit.
 */
export async function readStream(
  stream: AsyncIterable<Uint8Array | string>,
  limit: number = MAX_INPUT_BYTES,
  name = 'standard input',
  what = 'an input',
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.from(chunk);
    size += buffer.length;
    // Leaving the loop destroys the stream (for await calls its return()).
    if (size > limit) throw tooLarge(name, limit, what);
    chunks.push(buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** How messages name an input: `-` is standard input. */
export function inputName(path: string): string {
  return path === '-' ? 'standard input' : path;
}

/** Bytes read at a time from a file or a device. */
const CHUNK = 64 * KiB;

/**
 * The bytes of `path`, or of standard input when `path` is `-` (as in cfssl), at most the limit
 * of its kind.
 *
 * Nothing here waits on libuv's thread pool, where an open() that blocks cannot be cancelled and
 * would also keep the process from exiting on a signal: the file is opened with O_NONBLOCK (a
 * FIFO with no writer opens at once), a regular file or a device is read synchronously with a
 * bound (it never waits), and a FIFO, socket or terminal is read through the event loop, where
 * SIGINT and SIGTERM are still handled while it waits for its writer.
 * @throws PkiError IO naming the file and what is wrong (missing, a directory, unreadable, too big).
 */
export async function readInput(path: string, stdin: StdinReader, kind: InputKind): Promise<Uint8Array> {
  const { bytes: limit, what } = INPUT_LIMITS[kind];
  if (path === '-') {
    const data = await stdin(limit, what);
    if (data.length > limit) throw tooLarge('standard input', limit, what);
    return data;
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const found = fstatSync(fd);
    if (found.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (found.isFile() && found.size > limit) throw tooLarge(path, limit, what);
    if (found.isFIFO() || found.isSocket() || isatty(fd)) {
      const handed = fd;
      fd = undefined; // the stream owns it now and closes it
      return await readStream(waitingStream(handed), limit, path, what);
    }
    return readBounded(fd, limit, path, what);
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw ioError(error, path, 'read');
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads `fd` (a regular file or a device that never blocks) to its end, at most `limit` bytes. */
function readBounded(fd: number, limit: number, path: string, what: string): Uint8Array {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - size));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    size += read;
    if (size > limit) throw tooLarge(path, limit, what);
    chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
  }
  const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A stream on `fd` read by the event loop (a FIFO, a socket, a terminal): waiting on it never blocks a thread. */
function waitingStream(fd: number): AsyncIterable<Uint8Array> {
  if (isatty(fd)) return new TtyReadStream(fd);
  return new Socket({ fd, readable: true, writable: false, allowHalfOpen: true });
}

function tooLarge(file: string, limit: number, what: string): PkiError {
  return new PkiError('IO', `the file is larger than ${size(limit)}, the most ${what} may be`, {
    file,
    hint: 'is it the right file? certificates, keys and configurations are a few KiB',
  });
}

const size = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

/**
 * Reads a JSON input as text. Bytes that are not UTF-8, and NUL bytes, mean binary data (a key, a
 * DER file, a wrong path) and are refused clearly instead of being read as U+FFFD.
 * @throws PkiError IO as readInput does; INVALID_JSON for binary data.
 */
export async function readTextInput(path: string, stdin: StdinReader, kind: InputKind): Promise<string> {
  const data = await readInput(path, stdin, kind);
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
