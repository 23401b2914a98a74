import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import type { CliContext } from '../../src/cli/context.js';
import { cli } from '../support/in-process.js';

// main builds only the command the line names (a few ms of every short command); these check
// that nothing a user sees depends on that.

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('the command table', () => {
  const context: CliContext = {
    output: { stdout: () => undefined, stderr: () => undefined, interactive: false },
    stdin: async () => new Uint8Array(),
    inFlight: new Set(),
    quiet: true,
  };

  it.each(COMMANDS.map(([name, make]) => ({ name, make })))('names $name as its module does', ({ name, make }) => {
    expect(make(context).name()).toBe(name);
  });
});

describe('main with one command built', () => {
  it('lists every command in --help', async () => {
    const result = await cli(['--help']);
    expect(result.status).toBe(0);
    for (const [name] of COMMANDS) expect(result.stdout).toContain(`  ${name}`);
    expect(result.stdout).toContain('--version');
  });

  it('prints the package version for --version, before or after a command name', async () => {
    expect((await cli(['--version'])).stdout.trim()).toBe(version);
    expect((await cli(['--version', 'gencert'])).stdout.trim()).toBe(version);
  });

  it("prints one command's help for COMMAND --help and for help COMMAND", async () => {
    for (const args of [
      ['gencert', '--help'],
      ['help', 'gencert'],
    ]) {
      const result = await cli(args);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: etcd-pki gencert [options] <csrjson>');
      expect(result.stdout).toContain('--ca-key <file>');
    }
  });

  it('suggests the command meant for a misspelt one', async () => {
    const result = await cli(['gencertt', 'csr.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('did you mean gencert?');
  });

  it("still reads cfssl's flag spelling for the command named after run-wide flags", async () => {
    const result = await cli(['--quiet', 'gencert', '-profile=peer', '-initca']);
    // commander saw -profile and -initca as gencert's flags: what is missing is the argument.
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing required argument 'csrjson'");
  });
});
