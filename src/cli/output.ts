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

/**
 * The process's own streams. A reader that goes away early (`etcd-pki --help | head`) is not an
 * error: output to it stops, as with other Unix tools, instead of an unhandled EPIPE.
 */
export function processOutput(): Output {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY),
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
  if (!output.interactive || quiet || total < 2) return { tick: () => undefined, done: () => undefined };
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
