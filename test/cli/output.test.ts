import { describe, expect, it } from 'vitest';
import { goJson, progress, type Output } from '../../src/cli/output.js';

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
