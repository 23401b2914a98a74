import { readFileSync } from 'node:fs';

/**
 * Reads an env file as systemd's EnvironmentFile does for the lines etcd-pki writes: comments,
 * blank lines and `NAME="value"`. Anything else fails the test, so the files stay that simple.
 */
export function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)="([^"\\$`]*)"$/.exec(line);
    if (!match) throw new Error(`${path}: unexpected line ${JSON.stringify(line)}`);
    env[match[1]!] = match[2]!;
  }
  return env;
}
