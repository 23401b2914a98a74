import { unlinkSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PkiError } from '../errors.js';
import { readStream, type StdinReader } from '../io/input.js';
import type { CliContext } from './context.js';
import { ERROR_TABLE, EXIT } from './exit-codes.js';
import { normaliseGoFlags, type FlagSpec } from './go-flags.js';
import { goJson, processOutput, type Output } from './output.js';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from './commands/version.js';

export interface MainOptions {
  output?: Output;
  stdin?: StdinReader;
  /** Install SIGINT/SIGTERM handlers (the real process does; in-process tests do not). */
  handleSignals?: boolean;
}

/** Flags every command takes, wherever they stand on the line. */
const RUN_FLAGS = ['json-errors', 'debug', 'quiet', 'loglevel'] as const;

/**
 * Runs the CLI and returns the exit status. Never calls process.exit itself except from the
 * signal handler (status 130), after removing any temp file in flight.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const output = options.output ?? processOutput();
  const { args, flags } = extractRunFlags(argv);
  const inFlight = new Set<string>();
  const context: CliContext = {
    output,
    stdin: options.stdin ?? (() => readStream(process.stdin)),
    inFlight,
    quiet: flags.has('quiet'),
  };
  const removeSignalHandlers = options.handleSignals === false ? () => undefined : installSignalHandlers(inFlight);
  const program = buildProgram(context);
  try {
    await program.parseAsync(normaliseForCommand(program, args), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(error, output, flags);
  } finally {
    removeSignalHandlers();
  }
}

function buildProgram(context: CliContext): Command {
  const program = new Command('etcd-pki')
    .description('cfssl-compatible PKI for etcd clusters')
    .version(packageVersion(), '--version')
    .option('--json-errors', 'print errors as cfssl\'s {"code":...,"message":...}')
    .option('--debug', 'print stack traces of internal errors')
    .option('--quiet', 'no progress or informational output on stderr')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.output.stdout(text),
      writeErr: (text) => context.output.stderr(text),
      outputError: (text, write) => write(`etcd-pki: ${text.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
cfssl spellings work: -profile=peer, -profile peer, --profile=peer, -initca.
Examples:
  etcd-pki gencert -initca rootca-csr.json | cfssljson -bare rootca
  etcd-pki gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json -profile=peer \\
      etcd1-peer-csr.json | etcd-pki json -bare etcd1-peer`,
    );
  for (const make of COMMANDS) {
    const command = make(context).exitOverride().configureOutput(program.configureOutput());
    command.showSuggestionAfterError(true);
    program.addCommand(command);
  }
  return program;
}

// Go-flag spellings are rewritten for the command named on the line, with that command's flags.
function normaliseForCommand(program: Command, args: readonly string[]): string[] {
  const index = args.findIndex((arg) => !arg.startsWith('-'));
  if (index < 0) return [...args];
  const command = program.commands.find((c) => c.name() === args[index]);
  if (!command) return [...args];
  const flags: FlagSpec[] = command.options
    .filter((option) => option.long !== undefined)
    .map((option) => ({ name: option.long!.replace(/^--/, ''), boolean: !option.required && !option.optional }));
  // One-letter flags (cfssljson's -f) are also Go flags; commander already reads them as short options.
  return [...args.slice(0, index + 1), ...normaliseGoFlags(args.slice(index + 1), flags)];
}

function extractRunFlags(argv: readonly string[]): { args: string[]; flags: Set<string> } {
  const flags = new Set<string>();
  const args: string[] = [];
  let passthrough = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') passthrough = true;
    const match = passthrough ? null : /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    if (name && (RUN_FLAGS as readonly string[]).includes(name)) {
      if (name === 'loglevel' && match[2] === undefined) i++; // cfssl's -loglevel N: accepted, ignored
      else if (match[2] === undefined || !/^(0|f|false)$/i.test(match[2])) flags.add(name);
      continue;
    }
    args.push(arg);
  }
  return { args, flags };
}

function report(error: unknown, output: Output, flags: Set<string>): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT.ok;
    }
    // commander has already printed its message through outputError.
    if (flags.has('json-errors')) output.stderr(goJson({ code: 7000, message: error.message.replace(/^error: /, '') }) + '\n');
    return EXIT.usage;
  }
  if (error instanceof PkiError) {
    const entry = ERROR_TABLE[error.code];
    if (flags.has('json-errors')) output.stderr(goJson({ code: entry.cfssl, message: error.describe() }) + '\n');
    else output.stderr(`etcd-pki: ${error.describe()}\n`);
    if (flags.has('debug') && error.cause instanceof Error) output.stderr(`cause: ${error.cause.stack ?? error.cause.message}\n`);
    return entry.exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (flags.has('json-errors')) output.stderr(goJson({ code: 0, message: `internal error: ${message}` }) + '\n');
  else output.stderr(`etcd-pki: internal error: ${message}; please report it${flags.has('debug') ? '' : ' (run with --debug for details)'}\n`);
  if (flags.has('debug') && error instanceof Error && error.stack) output.stderr(`${error.stack}\n`);
  return EXIT.internal;
}

function installSignalHandlers(inFlight: Set<string>): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    for (const temp of inFlight) {
      try {
        unlinkSync(temp);
      } catch {
        // already renamed or removed
      }
    }
    process.stderr.write(`etcd-pki: interrupted (${signal}); no partial file was left\n`);
    process.exit(signal === 'SIGINT' ? EXIT.interrupted : 128 + 15);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
