import { join } from 'node:path';
import { PkiError } from '../errors.js';

/** An error naming a file of the bundle (`etcd1/etcd1-key.pem`) names it as the user sees it: under -out. */
export function inBundle(error: unknown, out: string, existing: ReadonlyMap<string, Uint8Array>): unknown {
  if (!(error instanceof PkiError) || error.file === undefined || !existing.has(error.file)) return error;
  return new PkiError(error.code, error.message, { file: join(out, error.file), path: error.path, hint: error.hint, cause: error.cause });
}
