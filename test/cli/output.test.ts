import { describe, expect, it } from 'vitest';
import { descriptorWriter, goJson, progress, type Output } from '../../src/cli/output.js';

function sink(interactive: boolean): Output & { err: string } {
  const out = { err: '', interactive, stdout: () => undefined, stderr: (text: string) => void (out.err += text) };
  return out;
}

describe('progress', () => {
  it('draws a bar on a terminal and clears it when done', () => {
    const output = sink(true);
    const bar = progress(output, 3, 'certificates', false);
    for (let i = 0; i < 3; i++) bar.tick();
    bar.done();
    expect(output.err).toContain('certificates [');
    expect(output.err).toContain('3/3');
    expect(output.err.endsWith('\r\x1b[K')).toBe(true);
  });

  it.each([
    { name: 'stays quiet when stderr is not a terminal (piped)', interactive: false, quiet: false },
    { name: 'stays quiet with --quiet on a terminal', interactive: true, quiet: true },
  ])('$name', ({ interactive, quiet }) => {
    const output = sink(interactive);
    const bar = progress(output, 100, 'files', quiet);
    for (let i = 0; i < 100; i++) bar.tick();
    bar.done();
    expect(output.err).toBe('');
  });
});

describe('goJson', () => {
  it('escapes <, >, &, U+2028 and U+2029 as Go encoding/json does', () => {
    expect(goJson({ s: '<a>&\u2028\u2029' })).toBe('{"s":"\\u003ca\\u003e\\u0026\\u2028\\u2029"}');
  });
});

describe('descriptorWriter', () => {
  /** A stand-in for process.stdout that records what reaches it. */
  function fakeStream() {
    const written: string[] = [];
    const listeners: Array<(error: NodeJS.ErrnoException) => void> = [];
    const stream = {
      writableLength: 0,
      write: (chunk: string | Uint8Array) => void written.push(Buffer.from(chunk).toString()),
      on: (_event: string, listener: (error: NodeJS.ErrnoException) => void) => void listeners.push(listener),
    };
    return { written, listeners, stream: stream as unknown as NodeJS.WriteStream };
  }
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it('writes with write(2) until every byte is out, however short each write is', () => {
    const out: string[] = [];
    const { stream, written } = fakeStream();
    const write = descriptorWriter(
      1,
      () => stream,
      (_fd, buffer, offset) => {
        out.push(Buffer.from(buffer.subarray(offset, offset + 3)).toString());
        return Math.min(3, buffer.length - offset);
      },
    );
    write('héllo, world');
    expect(out.join('')).toBe('héllo, world');
    expect(written).toEqual([]);
  });

  it('hands the rest to the stream on EAGAIN (a non-blocking descriptor), and everything after, in order', () => {
    const { stream, written } = fakeStream();
    let calls = 0;
    const write = descriptorWriter(
      1,
      () => stream,
      (_fd, _buffer, offset) => {
        calls++;
        if (offset === 0) return 4;
        throw errno('EAGAIN');
      },
    );
    write('abcdefgh');
    write('ij');
    expect(written).toEqual(['efgh', 'ij']);
    expect(calls).toBe(2); // no write(2) once the stream has taken over
  });

  it('stops writing, without an error, once the reader has gone (EPIPE)', () => {
    const { stream, written } = fakeStream();
    let calls = 0;
    const write = descriptorWriter(
      1,
      () => stream,
      () => {
        calls++;
        throw errno('EPIPE');
      },
    );
    write('first');
    write('second');
    expect(calls).toBe(1);
    expect(written).toEqual([]);
  });

  it('throws other errors (EIO, ENOSPC): the command must not report success', () => {
    const { stream } = fakeStream();
    const write = descriptorWriter(
      1,
      () => stream,
      () => {
        throw errno('ENOSPC');
      },
    );
    expect(() => write('x')).toThrow('ENOSPC');
  });
});
