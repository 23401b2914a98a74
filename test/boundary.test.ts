// Issue 18: every function the package exports, from every entry point package.json lists,
// called with hostile arguments (null, wrong types, huge values, circular objects, random
// JSON-like data), settles within a bound and fails only with a PkiError. Entry points and their
// exports are enumerated, so a function or a subpath added later is covered too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { boundary } from '../src/boundary.js';
import { PkiError } from '../src/errors.js';

/** How long one call may take to settle (a real key generation is the slowest legitimate work). */
const SETTLE_MS = 5000;
const RUNS = 25;

const circular = (): Record<string, unknown> => {
  const object: Record<string, unknown> = { name: 'etcd1', members: [] };
  (object.members as unknown[]).push(object);
  object.self = object;
  return object;
};

/** Values that broke the library before: each is tried as every argument of every function. */
const HOSTILE: ReadonlyArray<[string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => Number.NaN],
  ['-1', () => -1],
  ['2^60', () => 2 ** 60],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['an empty string', () => ''],
  ['a 1 MB string', () => 'x'.repeat(1024 * 1024)],
  ['an etcd command line as a string', () => 'etcd --name etcd1 '.repeat(10_000)],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[null]', () => [null]],
  ['{algo: "ECDSA"}', () => ({ algo: 'ECDSA' })],
  ['{algo: "ecdsa", size: 1}', () => ({ algo: 'ecdsa', size: 1 })],
  ['a circular cluster description', circular],
  ['an object nested 10,000 levels deep', () => JSON.parse(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`) as unknown],
  ['bytes', () => new Uint8Array([0x30, 0x82, 0xff, 0xff])],
  ['a function', () => () => 1],
  ['a symbol', () => Symbol('x')],
  ['a Map', () => new Map([['a', 1]])],
  ['{__proto__: ...}', () => JSON.parse('{"__proto__": {"polluted": true}, "members": []}') as unknown],
];

type AnyFunction = (...args: unknown[]) => unknown;
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, string | { import?: string }>;
};
/** Each entry point's source module: ./dist/api/bundle.js is src/api/bundle.ts. */
const ENTRY_POINTS = Object.entries(manifest.exports).flatMap(([subpath, target]) => {
  const built = typeof target === 'string' ? target : target.import;
  return built?.startsWith('./dist/') && built.endsWith('.js')
    ? [[subpath, `../src/${built.slice('./dist/'.length, -'.js'.length)}.js`] as const]
    : [];
});
const modules = await Promise.all(
  ENTRY_POINTS.map(async ([subpath, source]) => [subpath, (await import(source)) as Record<string, unknown>] as const),
);
const FUNCTIONS: Array<[string, AnyFunction]> = modules.flatMap(([subpath, exports]) =>
  Object.entries(exports).flatMap(([name, value]) =>
    typeof value === 'function' && !/^[A-Z]/.test(name) ? [[`${subpath} ${name}`, value as AnyFunction] as [string, AnyFunction]] : [],
  ),
);
const exported = (name: string): AnyFunction => FUNCTIONS.find(([label]) => label.endsWith(` ${name}`))![1];

/** Calls `fn`; what it threw or rejected with, `undefined` when it succeeded; fails the test if it does not settle. */
async function outcome(name: string, fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = fn(...args);
    if (!(result instanceof Promise)) return undefined;
    const settled = await Promise.race([
      result.then(
        () => ({ error: undefined }),
        (error: unknown) => ({ error }),
      ),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), SETTLE_MS);
      }),
    ]);
    if (settled === 'timeout') throw new Error(`${name} did not settle within ${SETTLE_MS} ms`);
    return settled.error;
  } catch (error) {
    if (error instanceof Error && error.message.includes('did not settle')) throw error;
    return error;
  } finally {
    clearTimeout(timer);
  }
}

function expectPkiErrorOrNothing(name: string, what: string, error: unknown): void {
  if (error === undefined) return;
  expect(
    error,
    `${name}(${what}) threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`,
  ).toBeInstanceOf(PkiError);
}

describe('every exported function', () => {
  it('is enumerated (the package exports functions to test)', () => {
    expect(ENTRY_POINTS.map(([subpath]) => subpath)).toEqual(expect.arrayContaining(['.', './bundle', './doctor', './lifecycle']));
    expect(FUNCTIONS.length).toBeGreaterThan(50);
    for (const name of ['generateKeyPair', 'parseEtcdCommandLine', 'normaliseClusterDescription', 'runDoctor'])
      expect(() => exported(name)).not.toThrow();
  });

  describe.each(FUNCTIONS)('%s', (name, fn) => {
    it('fails with a PkiError, in bounded time, for each hostile value as each argument', async () => {
      for (const [what, make] of HOSTILE) {
        for (const position of [0, 1]) {
          const args = position === 0 ? [make()] : [{}, make()];
          expectPkiErrorOrNothing(name, `${position === 0 ? '' : '{}, '}${what}`, await outcome(name, fn, args));
        }
      }
    }, 120_000);

    it('fails with a PkiError, in bounded time, for random arguments', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 3 }), async (args) => {
          expectPkiErrorOrNothing(name, JSON.stringify(args)?.slice(0, 200) ?? '?', await outcome(name, fn, args));
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  });

  it('generateKeyPair({}) and generateKeyPair({algo: "ECDSA"}) reject with KEY_UNSUPPORTED', async () => {
    for (const spec of [{}, { algo: 'ECDSA' }]) {
      await expect(exported('generateKeyPair')(spec) as Promise<unknown>).rejects.toMatchObject({ code: 'KEY_UNSUPPORTED' });
    }
  });

  it('parseEtcdCommandLine refuses a string at once, however long', () => {
    const started = Date.now();
    expect(() => exported('parseEtcdCommandLine')('--name x '.repeat(5_000_000))).toThrow(PkiError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a circular cluster description is refused as circular, not with a stack overflow', () => {
    expect(() => exported('normaliseClusterDescription')(circular())).toThrow(/refers to itself/);
  });
});

describe('boundary', () => {
  it('keeps a PkiError as it is and wraps any other error with its cause', async () => {
    const original = new PkiError('INVALID_HOST', 'bad host');
    expect(() =>
      boundary('f', () => {
        throw original;
      })(),
    ).toThrow(original);
    const raw = new TypeError("Cannot read properties of null (reading 'x')");
    const wrapped = (() => {
      try {
        boundary('g', () => {
          throw raw;
        })();
      } catch (error) {
        return error as PkiError;
      }
      return undefined;
    })();
    expect(wrapped).toMatchObject({ code: 'INVALID_ARGUMENT', cause: raw });
    expect(wrapped!.message).toContain('g: invalid argument');
    await expect(boundary('h', () => Promise.reject(raw))()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', cause: raw });
  });

  it('passes results through and keeps the function name', async () => {
    const add = boundary('add', (a: number, b: number) => a + b);
    expect(add(1, 2)).toBe(3);
    expect(add.name).toBe('add');
    await expect(boundary('later', async () => 5)()).resolves.toBe(5);
  });
});
