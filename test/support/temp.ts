import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface TempDir {
  readonly path: string;
  /** Writes `contents` to `name` inside the directory and returns the full path. */
  write(name: string, contents: string | Uint8Array): string;
  join(name: string): string;
  /** A new empty directory inside it (run-1, run-2, ...): one per test that writes a tree. */
  freshDir(): string;
}

/** A fresh directory under os.tmpdir(), removed when the enclosing suite ends. */
export function useTempDir(prefix = 'etcd-pki-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  let runs = 0;
  return {
    path,
    write(name, contents) {
      const file = join(path, name);
      writeFileSync(file, contents, { mode: 0o600 });
      return file;
    },
    join: (name) => join(path, name),
    freshDir() {
      const dir = join(path, `run-${++runs}`);
      mkdirSync(dir);
      return dir;
    },
  };
}
