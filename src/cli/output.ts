import { writeSync } from 'node:fs';

/**
 * Where a command writes: injected so tests capture output without patching `console`, and so
 * progress appears only on a terminal.
 */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal (progress bars, colour). */
  readonly interactive: boolean;
}

/** What writes raw bytes to a file descriptor: fs.writeSync, or a stand-in in tests. */
export type WriteSync = (fd: number, buffer: Uint8Array, offset: number) => number;

/** The process's stdout or stderr as process.stdout / process.stderr, created on first use. */
type StreamOf = () => NodeJS.WriteStream;

/** The streams processOutput() fell back to: the bin waits for these to drain before it exits. */
const streamsInUse = new Set<NodeJS.WriteStream>();

/**
 * Text for file descriptor `fd`, written with write(2) rather than through process.stdout or
 * process.stderr: creating those streams loads node:stream, and on a pipe node:net, which is a
 * few milliseconds of a command that takes 70 (`gencert | cfssljson`; the Speed issue). write(2)
 * returns once the bytes are in the pipe, the terminal or the file, as Node's own stdio does on
 * Linux. Two cases hand over to the stream:
 * - EAGAIN: the descriptor is non-blocking (its file description is shared with a process that
 *   set O_NONBLOCK) and its reader is behind. The stream waits for it; this text's remainder and
 *   everything after go through the stream, keeping the order.
 * - EPIPE: the reader went away (`etcd-pki --help | head -1`). Output to it stops, as with other
 *   Unix tools; it is not an error.
 */
export function descriptorWriter(fd: number, streamOf: StreamOf, write: WriteSync = writeSync): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  let closed = false;
  const handOver = (rest: Uint8Array) => {
    stream = streamOf();
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    streamsInUse.add(stream);
    if (rest.length) stream.write(rest);
  };
  return (text) => {
    if (closed || text === '') return;
    if (stream) {
      stream.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let offset = 0;
    try {
      while (offset < bytes.length) offset += write(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') closed = true;
      else if (code === 'EAGAIN') handOver(bytes.subarray(offset));
      else throw error;
    }
  };
}

/** True while a stream processOutput() fell back to still holds unwritten output. */
export function processOutputPending(): boolean {
  for (const stream of streamsInUse) if (stream.writableLength > 0) return true;
  return false;
}

/**
 * The process's stdout and stderr (see descriptorWriter). Whether stderr is a terminal is asked
 * only by commands that draw progress, since asking creates process.stderr.
 */
export function processOutput(): Output {
  let interactive: boolean | undefined;
  return {
    stdout: descriptorWriter(1, () => process.stdout),
    stderr: descriptorWriter(2, () => process.stderr),
    get interactive() {
      return (interactive ??= Boolean(process.stderr.isTTY));
    },
  };
}

/**
 * JSON as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped, so output
 * compares byte for byte with cfssl's.
 */
export function goJson(value: unknown, indent?: string): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A progress line on a terminal; silent otherwise. */
export interface Progress {
  tick(label?: string): void;
  done(): void;
}

export function progress(output: Output, total: number, what: string, quiet: boolean): Progress {
  if (quiet || total < 2 || !output.interactive) return { tick: () => undefined, done: () => undefined };
  let count = 0;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    const width = 30;
    const filled = Math.round((count / total) * width);
    output.stderr(`\r${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
  };
  return {
    tick: () => {
      count++;
      draw(count === total);
    },
    done: () => output.stderr('\r\x1b[K'),
  };
}
