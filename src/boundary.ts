import { PkiError } from './errors.js';

/** The most nodes and nesting of an argument walked for cycles (a cluster of 1,000 members is ~50,000 nodes). */
const MAX_NODES = 1_000_000;
const MAX_DEPTH = 64;

/**
 * `fn` as the public API exports it: every failure is a PkiError. Arguments that are circular
 * or nested deeper than MAX_DEPTH are refused before `fn` sees them (a circular cluster
 * description would overflow the stack); an error of another kind that `fn` throws or rejects
 * with (a TypeError for `null` where an object belongs) becomes PkiError INVALID_ARGUMENT naming
 * the function, with the original as its cause. Used only by the entry points: inside the
 * library, functions trust the types the boundary checked.
 */
export function boundary<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  const wrapped = (...args: A): R => {
    try {
      args.forEach((arg, index) => checkShape(name, arg, index));
      const result = fn(...args);
      if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(asPkiError(name, error))) as R;
      return result;
    } catch (error) {
      throw asPkiError(name, error);
    }
  };
  Object.defineProperty(wrapped, 'name', { value: name });
  return wrapped;
}

function asPkiError(name: string, error: unknown): PkiError {
  if (error instanceof PkiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PkiError('INVALID_ARGUMENT', `${name}: invalid argument (${message.slice(0, 200)})`, {
    hint: `check the arguments against the documentation of ${name}`,
    cause: error,
  });
}

/** Refuses a circular or too deeply nested plain object or array, walking at most MAX_NODES nodes. */
function checkShape(name: string, root: unknown, index: number): void {
  if (typeof root !== 'object' || root === null) return;
  const onPath = new Set<object>();
  let nodes = 0;
  const walk = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return; // Map, KeyObject, Date...
    if (onPath.has(value)) throw refused(name, index, 'refers to itself (a circular object)');
    if (depth > MAX_DEPTH) throw refused(name, index, `is nested deeper than ${MAX_DEPTH} levels`);
    if (++nodes > MAX_NODES) throw refused(name, index, `has more than ${MAX_NODES} values`);
    onPath.add(value);
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], depth + 1);
    onPath.delete(value);
  };
  walk(root, 0);
}

function refused(name: string, index: number, why: string): PkiError {
  return new PkiError('INVALID_ARGUMENT', `${name}: argument ${index + 1} ${why}`, { hint: 'pass plain data, as JSON.parse returns it' });
}
