import { PkiError } from './errors.js';

/** A span of time in milliseconds (never a Go duration string). */
export type Milliseconds = number & { readonly __unit?: 'ms' };

/** A duration written as Go's `time.ParseDuration` reads it: `8760h`, `1h30m`, `90m`, `1.5h`. */
export type GoDuration = string;

// Go's units; `d` and `y` are deliberately absent: Go rejects them and so does cfssl.
const UNIT_MS = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
} as const;

type Unit = keyof typeof UNIT_MS;
// µ (U+00B5 micro sign) and μ (U+03BC Greek mu) escaped: the bundled CLI must stay ASCII-only
// (bin/cli-bundle.cjs reads it as latin1), and esbuild cannot escape inside a regex literal.
const TERM = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;

/** The longest Go duration: 2^63 - 1 nanoseconds (math.MaxInt64), in milliseconds. */
export const MAX_GO_DURATION_MS: Milliseconds = 9_223_372_036_854.775;

export interface ParseDurationOptions {
  file?: string | undefined;
  path?: string | undefined;
  /** Accept `0s`; default false, since a zero validity is never what a user means. */
  allowZero?: boolean;
  /** Accept negative durations; default false. */
  allowNegative?: boolean;
}

/**
 * Parses a Go duration (`time.ParseDuration` syntax) into milliseconds.
 * @throws PkiError INVALID_DURATION naming the value, with a hint for `d`/`y` units.
 */
export function parseGoDuration(text: string, options: ParseDurationOptions = {}): Milliseconds {
  const fail = (message: string, hint: string) =>
    new PkiError('INVALID_DURATION', message, { file: options.file, path: options.path, hint });
  let rest = text.trim();
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '') throw fail(`invalid duration ${JSON.stringify(text)}`, 'write it as Go does, e.g. "8760h" or "1h30m"');
  let total = 0;
  // Go accepts a bare "0" (and only that number) without a unit.
  if (rest === '0') rest = '';
  while (rest !== '') {
    const match = TERM.exec(rest);
    if (!match) throw fail(`invalid duration ${JSON.stringify(text)}`, unitHint(text));
    total += Number(match[1]) * UNIT_MS[match[2] as Unit];
    rest = rest.slice(match[0].length);
  }
  // Go counts nanoseconds in an int64: past about 2562047h, time.ParseDuration fails, and cfssl
  // with it ("time: invalid duration"); so does etcd-pki, with the same words.
  if (total > MAX_GO_DURATION_MS) {
    throw fail(
      `invalid duration ${JSON.stringify(text)}`,
      'Go durations end at 2562047h (292 years); write a shorter one such as "87600h"',
    );
  }
  const ms = sign * total;
  if (ms < 0 && !options.allowNegative) {
    throw fail(`duration ${JSON.stringify(text)} is negative`, 'use a positive duration such as "8760h"');
  }
  if (ms === 0 && !options.allowZero) {
    throw fail(`duration ${JSON.stringify(text)} is zero`, 'a certificate needs a positive validity such as "8760h"');
  }
  return ms;
}

function unitHint(text: string): string {
  const dayOrYear = /^[+-]?(\d+(?:\.\d+)?)\s*(d|day|days|y|yr|year|years|w|week|weeks)$/i.exec(text.trim());
  if (dayOrYear) {
    const n = Number(dayOrYear[1]);
    const unit = dayOrYear[2]!.toLowerCase()[0];
    const hours = unit === 'y' ? n * 8760 : unit === 'w' ? n * 168 : n * 24;
    return `Go durations have no "${dayOrYear[2]}" unit; write ${JSON.stringify(`${hours}h`)}`;
  }
  return 'Go durations use the units h, m, s, ms, us, ns, e.g. "8760h" or "1h30m"';
}

/** Formats milliseconds as Go's `Duration.String()` does for whole seconds: `8760h0m0s`. */
export function formatGoDuration(ms: Milliseconds): GoDuration {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
