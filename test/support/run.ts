import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  /** The same output as bytes, for DER. */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the child's standard input, then closed. */
  readonly input?: string | Uint8Array;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a real tool (openssl, cfssl, npm) without a shell; never throws on a non-zero exit. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stdoutBytes: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    // A tool that exits without reading its input (openssl -in FILE) closes the pipe: not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Like run, but rejects with the tool's stderr when it exits non-zero. */
export async function runOk(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** Like runOk, but returns the output as bytes (DER). */
export async function runOkBytes(command: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return result.stdoutBytes;
}

/**
 * A child's status as a shell reports it: its exit code, or 128 + the number of the signal it
 * died of (etcd-pki ends on SIGINT and SIGTERM by that signal itself, after its cleanup).
 */
export function shellStatus(code: number | null, signal: NodeJS.Signals | null): number | null {
  return code ?? (signal ? 128 + osConstants.signals[signal] : null);
}
