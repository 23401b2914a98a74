import { expect } from 'vitest';
import { PkiError, type ErrorCode } from '../../src/errors.js';

/** What a test expects of a PkiError: the code always, the rest when given. */
export interface ExpectedError {
  readonly code: ErrorCode;
  readonly file?: string | undefined;
  /** The JSON pointer, exactly. */
  readonly path?: string | undefined;
  /** Words the message must contain. */
  readonly message?: string | readonly string[];
  /** Words the hint must contain. */
  readonly hint?: string | readonly string[];
}

/** One file of fixtures/invalid/ and the error it must give, for table tests named for the behaviour. */
export interface InvalidFileCase extends Omit<ExpectedError, 'file'> {
  readonly name: string;
  /** The file's name in its fixtures/invalid/ folder; the error must name it. */
  readonly file: string;
}

const list = (words: string | readonly string[] | undefined): readonly string[] =>
  words === undefined ? [] : typeof words === 'string' ? [words] : words;

/** Asserts that `error` is a PkiError matching `expected`, and returns it. */
export function assertPkiError(error: unknown, expected: ExpectedError): PkiError {
  expect(error, 'expected a PkiError').toBeInstanceOf(PkiError);
  const e = error as PkiError;
  expect({ code: e.code, message: e.message, hint: e.hint }).toMatchObject({ code: expected.code });
  if ('file' in expected) expect(e.file).toBe(expected.file);
  if (expected.path !== undefined) expect(e.path).toBe(expected.path);
  for (const word of list(expected.message)) expect(e.message).toContain(word);
  for (const word of list(expected.hint)) expect(e.hint ?? '').toContain(word);
  return e;
}

/** Runs `fn` (sync or async), which must throw a PkiError matching `expected`. */
export async function expectPkiError(fn: () => unknown, expected: ExpectedError): Promise<PkiError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected PkiError ${expected.code}, but nothing was thrown`);
  return assertPkiError(thrown, expected);
}

/** The synchronous form, for loaders. */
export function expectPkiErrorSync(fn: () => unknown, expected: ExpectedError): PkiError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected PkiError ${expected.code}, but nothing was thrown`);
  return assertPkiError(thrown, expected);
}
