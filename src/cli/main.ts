import { rmSync, unlinkSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PkiError } from '../errors.js';
import { closest } from '../suggest.js';
import { readStream, type StdinReader } from '../io/input.js';
import type { CliContext } from './context.js';
import { ERROR_TABLE, EXIT } from './exit-codes.js';
import { normaliseGoFlags, type FlagSpec } from './go-flags.js';
import { goJson, processOutput, type Output } from './output.js';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from './commands/version.js';

// For bin/etcd-pki.cjs, which exits as soon as main() is done and this is false.
export { processOutputPending } from './output.js';

export interface MainOptions {
  output?: Output;
  stdin?: StdinReader;
  /** Install SIGINT/SIGTERM/SIGHUP handlers (the real process does; in-process tests do not). */
  handleSignals?: boolean;
}

/** Flags every command takes, wherever they stand on the line. */
const RUN_FLAGS = ['json-errors', 'debug', 'quiet', 'loglevel'] as const;

/**
 * Runs the CLI and returns the exit status. Never ends the process itself except from the
 * signal handler, once no temp file is left: the process then dies of that signal (status 130
 * for SIGINT, 143 for SIGTERM, 129 for SIGHUP in a shell).
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const output = options.output ?? processOutput();
  const { args, flags } = extractRunFlags(argv);
  const inFlight = new Set<string>();
  const inFlightDirs = new Set<string>();
  const abort = new AbortController();
  const print = errorPrinter(output, flags);
  const signals = options.handleSignals === false ? undefined : installSignalHandlers(inFlight, inFlightDirs, abort, print);
  const context: CliContext = {
    output,
    stdin: options.stdin ?? ((limit, what) => readStream(process.stdin, limit, 'standard input', what)),
    inFlight,
    inFlightDirs,
    quiet: flags.has('quiet'),
    ...(signals ? { signal: abort.signal } : {}),
  };
  const usage: UsageErrorSink = {};
  const program = buildProgram(context, usage, args);
  try {
    await program.parseAsync(normaliseForCommand(program, args), { from: 'user' });
    // A signal came while the command wrote: the run ends as interrupted, whatever it returned.
    signals?.finish();
    return EXIT.ok;
  } catch (error) {
    signals?.finish();
    return report(error, output, flags, print, usage.error);
  } finally {
    signals?.remove();
  }
}

/** The last commander error, with the command that raised it (for its --help hint). */
interface UsageErrorSink {
  error?: { text: string; command: Command };
}

/**
 * The program with the command the line names, or with every command when it names none it
 * knows (`--help`, `help gencert`, a misspelt name that commander suggests a fix for). Building
 * fifteen commands' options and help is a few milliseconds that `gencert` need not spend.
 */
function buildProgram(context: CliContext, usage: UsageErrorSink, args: readonly string[]): Command {
  // commander's messages are collected and printed by report(), as one line (or as JSON).
  const outputFor = (command: Command) => ({
    writeOut: (text: string) => context.output.stdout(text),
    writeErr: (text: string) => context.output.stderr(text),
    outputError: (text: string) => {
      usage.error = { text, command };
    },
  });
  const name = args.find((arg) => !arg.startsWith('-'));
  const named = COMMANDS.filter(([commandName]) => commandName === name);
  const program = new Command('etcd-pki');
  // The version is read from package.json only where it can be printed.
  if (named.length === 0 || args.includes('--version')) program.version(packageVersion(), '--version');
  program
    .description('cfssl-compatible PKI for etcd clusters')
    .option('--json-errors', 'print errors as cfssl\'s {"code":...,"message":...}')
    .option('--debug', 'print stack traces of internal errors')
    .option('--quiet', 'no progress or informational output on stderr')
    .exitOverride()
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
  program.configureOutput(outputFor(program));
  for (const [, make] of named.length ? named : COMMANDS) {
    const command = make(context).exitOverride();
    command.configureOutput(outputFor(command));
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
      if (name === 'loglevel' && match[2] === undefined)
        i++; // cfssl's -loglevel N: accepted, ignored
      else if (match[2] === undefined || !/^(0|f|false)$/i.test(match[2])) flags.add(name);
      continue;
    }
    args.push(arg);
  }
  return { args, flags };
}

type ErrorPrinter = (cfsslCode: number, text: string) => void;

/** Prints an error as one line: `etcd-pki: ...`, or cfssl's JSON with --json-errors. */
function errorPrinter(output: Output, flags: Set<string>): ErrorPrinter {
  return (code, text) => {
    const line = oneLine(text);
    output.stderr(flags.has('json-errors') ? goJson({ code, message: line }) + '\n' : `etcd-pki: ${line}\n`);
  };
}

function report(error: unknown, output: Output, flags: Set<string>, print: ErrorPrinter, usage: UsageErrorSink['error']): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT.ok;
    }
    print(7000, usageMessage(usage?.text ?? error.message, usage?.command));
    return EXIT.usage;
  }
  if (error instanceof PkiError) {
    const entry = ERROR_TABLE[error.code];
    print(entry.cfssl, error.describe());
    if (flags.has('debug') && error.cause instanceof Error) output.stderr(`cause: ${error.cause.stack ?? error.cause.message}\n`);
    return entry.exit;
  }
  const message = error instanceof Error ? error.message : String(error);
  print(0, `internal error: ${message}; please report it${flags.has('debug') ? '' : ' (run with --debug for details)'}`);
  if (flags.has('debug') && error instanceof Error && error.stack) output.stderr(`${error.stack}\n`);
  return EXIT.internal;
}

/**
 * commander's error as one line with the fix: its "(Did you mean ...?)" line folded in, a
 * suggestion for Go-style flags it does not suggest for (`-profil`), and where to read more.
 */
function usageMessage(text: string, command: Command | undefined): string {
  const [first = '', ...rest] = text
    .replace(/^error: /, '')
    .trim()
    .split('\n');
  const suggested = /^\(Did you mean (?:one of )?(.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  let hint = suggested ? `did you mean ${suggested}?` : undefined;
  const unknown = /^unknown option '(-{1,2})([^'=]+)/.exec(first);
  if (!hint && unknown && command) {
    const names = command.options.flatMap((option) => (option.long ? [option.long.replace(/^--/, '')] : []));
    const guess = closest(unknown[2]!, names);
    if (guess) hint = `did you mean ${unknown[1]}${guess}?`;
  }
  const help = command?.parent ? `etcd-pki ${command.name()} --help` : 'etcd-pki --help';
  return `${first.replace(/\.$/, '')}; ${hint ? `${hint} ` : ''}see "${help}"`;
}

/**
 * What goes on the error line: control characters escaped (a file name with a newline or an
 * escape sequence cannot forge a second line or drive the terminal), and quoted values longer
 * than a line shortened.
 */
function oneLine(text: string): string {
  return text
    .replace(/"(?:[^"\\\n]|\\.)*"/g, (quoted) =>
      quoted.length > 100 ? `${quoted.slice(0, 41)}..." (${quoted.length - 2} characters)` : quoted,
    )
    .replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, (c) => (c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The exit status of a run stopped by `signal`: 128 + its number, as shells report it. */
const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated };

/** How long an interrupted write may take to remove (or finish) its files before the process exits anyway. */
const WRITE_GRACE_MS = 3000;

/**
 * On SIGINT, SIGTERM or SIGHUP: when no write is in flight, exit at once; otherwise abort it and
 * exit as soon as it has removed its temp files and directories (or, once renaming, finished), at
 * most WRITE_GRACE_MS later; whatever temp file is still listed then is removed. A staged
 * directory (a first cluster-bundle's, filled beside its place) is removed whole on the way out.
 * A second signal exits at once the same way.
 */
function installSignalHandlers(
  inFlight: Set<string>,
  inFlightDirs: Set<string>,
  abort: AbortController,
  print: ErrorPrinter,
): { finish(): void; remove(): void } {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  let received: NodeJS.Signals | undefined;
  const exit = (signal: NodeJS.Signals): never => {
    for (const temp of inFlight) {
      try {
        unlinkSync(temp);
      } catch {
        // already renamed or removed
      }
    }
    for (const dir of inFlightDirs) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
      } catch {
        // a writer thread still adding to it: the next run removes what is left (io/staging.ts)
      }
    }
    print(ERROR_TABLE.INTERRUPTED.cfssl, `interrupted (${signal}); no partial file was left`);
    // The process dies of the signal itself (the shell reports 128 + its number: 130, 143), at
    // once: process.exit() first joins libuv's thread pool, where a key generation may run for
    // a minute (RSA 8192) and cannot be cancelled. Handing the signal back to its default action
    // is also what a caller's shell expects of a child stopped by SIGINT.
    process.exitCode = SIGNAL_EXIT[signal] ?? EXIT.interrupted;
    for (const each of signals) process.removeAllListeners(each);
    process.kill(process.pid, signal);
    return process.exit(); // only if the signal is ignored by whoever started us
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (received || inFlight.size === 0) exit(signal);
    received = signal;
    abort.abort();
    const deadline = Date.now() + WRITE_GRACE_MS;
    const wait = () => (inFlight.size === 0 || Date.now() >= deadline ? exit(signal) : setTimeout(wait, 5));
    wait();
  };
  for (const signal of signals) process.on(signal, onSignal);
  return {
    // The command settled: if a signal came while it wrote, report that now rather than its result.
    finish: () => {
      if (received) exit(received);
    },
    remove: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
