import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

/** The walkthrough's three members, as -member flags. */
export const WALKTHROUGH_MEMBERS = ['-member', 'etcd1=192.168.0.91', '-member', 'etcd2=192.168.0.92', '-member', 'etcd3=192.168.0.93'];

/**
 * Runs the CLI in this process, as `etcd-pki ARGS` with nothing on stdin, and returns its exit
 * status and captured output; `interactive` makes stderr look like a terminal (progress bars).
 */
export async function cli(args: readonly string[], interactive = false): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output: Output = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), interactive };
  const status = await main(args, { output, handleSignals: false, stdin: async () => new Uint8Array() });
  return { status, stdout, stderr };
}
