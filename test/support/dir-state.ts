import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpectStatic } from 'vitest';

/** A directory's entries (recursive, links not followed): type, mode, size, content hash or link target. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(join(dir, path));
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isSymbolicLink()) out[path] = `link -> ${readlinkSync(join(dir, path))}`;
      else if (stat.isDirectory()) {
        out[path] = `dir ${mode}`;
        walk(path);
      } else
        out[path] = `file ${mode} ${stat.size} ${createHash('sha256')
          .update(readFileSync(join(dir, path)))
          .digest('hex')}`;
    }
  };
  walk('');
  return out;
}

/**
 * Nothing that is, or could be, a private key: no armoured PEM body, no key armour, no long
 * base64 run; and unless the case is about PEM labels, not even the words "PRIVATE KEY".
 */
export function assertNoKeyMaterial(expect: ExpectStatic, output: string, labelsAllowed: boolean): void {
  expect(output).not.toMatch(/-----BEGIN [A-Z ]+-----(\n|\\n)?[A-Za-z0-9+/]/);
  expect(output).not.toMatch(/PRIVATE KEY-----/);
  expect(output).not.toMatch(/[A-Za-z0-9+/]{64,}/);
  if (!labelsAllowed) expect(output).not.toContain('PRIVATE KEY');
}
