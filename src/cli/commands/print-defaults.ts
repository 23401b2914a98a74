import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** The example files print-defaults knows, as `list` names them. */
export const KINDS = ['config', 'csr'] as const;

/** `print-defaults config|csr|list`: cfssl's example files, byte for byte (with its blank last line). */
export function printDefaultsCommand(context: CliContext): Command {
  return new Command('print-defaults')
    .description('print an example ca-config.json (config) or CSR JSON (csr); "list" lists them')
    .argument('<kind>', 'config, csr or list')
    .addHelpText('after', '\nExample:\n  etcd-pki print-defaults config > ca-config.json')
    .action(async (kind: string) => (await import('../actions/print-defaults.js')).run(context, kind));
}
