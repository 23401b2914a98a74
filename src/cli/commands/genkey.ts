import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addOutputOptions, type OutputOptions } from '../issuing-options.js';

/** genkey's flags, as commander hands them to the action. */
export type GenkeyOptions = OutputOptions & { initca?: boolean };

/** `genkey`: a new key and its CSR (with -initca, a self-signed CA as well). */
export function genkeyCommand(context: CliContext): Command {
  const command = new Command('genkey')
    .description('generate a new key and CSR (with -initca: a self-signed CA)')
    .argument('<csrjson>', 'CSR JSON file, or - for stdin')
    .option('--initca', 'also make a self-signed CA certificate');
  addOutputOptions(command).addHelpText('after', '\nExample:\n  etcd-pki genkey etcd1-csr.json | cfssljson -bare etcd1');
  return command.action(async (csrjson: string, options: GenkeyOptions) =>
    (await import('../actions/genkey.js')).run(context, csrjson, options),
  );
}
