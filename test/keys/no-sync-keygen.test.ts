// Node 20 deadlocks, now and then, in this pattern:
//
//   const { privateKey } = generateKeyPairSync('ec', ...);
//   privateKey.export({ format: 'jwk' });
//
// export() holds the key's mutex while it allocates the JWK's strings; when that allocation
// triggers a garbage collection, V8 destroys the finished (unreferenced) key-generation job, whose
// destructor takes the same mutex. The main thread then waits on itself forever (gdb, Node
// v20.20.2: ~KeyGenJob<EcKeyGenTraits> from GlobalHandles::InvokeFirstPassWeakCallbacks under
// KeyObjectHandle::ExportJWK). A loop of 20,000 P-384 keys with --max-semi-space-size=1 hangs
// within 8,000 every time. In the suite it looked like a vitest stall: a fork worker idle in
// futex_wait with unread messages on its IPC channel, and test/keys/ec-der.test.ts never reported.
//
// The asynchronous generateKeyPair, which src/keys/generate.ts uses, is safe: its job is alive
// until the callback returns and is deleted right after, never by the garbage collector. So the
// synchronous form is kept out of the project altogether; this fails where it comes back.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|cjs|js)$/.test(entry.name) ? [path] : [];
  });
}

describe('synchronous key generation', () => {
  it('is used nowhere in src/, test/, bench/ or scripts/ (it deadlocks Node 20; see above)', () => {
    const files = ['src', 'test', 'bench', 'scripts'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .filter((file) => file !== THIS_FILE)
      .filter((file) => /\bgenerateKeyPairSync\b|\bgenerateKeySync\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
