import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliContext } from '../context.js';

/** The package version, read from package.json next to dist/. */
export function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** `version`: as cfssl prints it (Version, Runtime). */
export function versionCommand(context: CliContext): Command {
  return new Command('version').description('print the version').action(() => {
    context.output.stdout(`Version: ${packageVersion()}\nRuntime: node ${process.version}\n`);
  });
}
