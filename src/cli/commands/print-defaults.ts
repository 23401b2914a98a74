import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import { didYouMean } from '../../suggest.js';
import type { CliContext } from '../context.js';
import { goJson } from '../output.js';

const KINDS = ['config', 'csr'] as const;

/** `print-defaults config|csr|list`: cfssl's example files, byte for byte (with its blank last line). */
export function printDefaultsCommand(context: CliContext): Command {
  return new Command('print-defaults')
    .description('print an example ca-config.json (config) or CSR JSON (csr); "list" lists them')
    .argument('<kind>', 'config, csr or list')
    .addHelpText('after', '\nExample:\n  etcd-pki print-defaults config > ca-config.json')
    .action(async (kind: string) => {
      if (kind === 'list') {
        context.output.stdout(`Default configurations are available for:\n${KINDS.map((k) => `\t${k}\n`).join('')}`);
        return;
      }
      if (kind === 'config') {
        const { EXAMPLE_CA_CONFIG } = await import('../../profiles/defaults.js');
        context.output.stdout(goJson(EXAMPLE_CA_CONFIG, '    ') + '\n\n');
        return;
      }
      if (kind === 'csr') {
        const { EXAMPLE_CSR } = await import('../../csr/defaults.js');
        context.output.stdout(goJson(EXAMPLE_CSR, '    ') + '\n\n');
        return;
      }
      throw new PkiError('USAGE', `no defaults for ${JSON.stringify(kind)}`, { hint: didYouMean(kind, [...KINDS, 'list']) });
    });
}
