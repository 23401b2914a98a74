import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliContext } from '../context.js';

/**
 * The package version, from the nearest etcd-pki package.json above this module (the module sits
 * at different depths in dist/ and in the bundled CLI).
 */
export function packageVersion(): string {
  for (let url = new URL('.', import.meta.url); ; url = new URL('..', url)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'etcd-pki' && manifest.version) return manifest.version;
    } catch {
      // no package.json at this level
    }
    if (url.pathname === '/') return '0.0.0-unknown';
  }
}

/** `version`: as cfssl prints it (Version, Runtime). */
export function versionCommand(context: CliContext): Command {
  return new Command('version').description('print the version').action(() => {
    context.output.stdout(`Version: ${packageVersion()}\nRuntime: node ${process.version}\n`);
  });
}
