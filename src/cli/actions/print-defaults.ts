import { PkiError } from '../../errors.js';
import { EXAMPLE_CSR } from '../../csr/defaults.js';
import { EXAMPLE_CA_CONFIG } from '../../profiles/defaults.js';
import { didYouMean } from '../../suggest.js';
import { KINDS } from '../commands/print-defaults.js';
import type { CliContext } from '../context.js';
import { goJson } from '../output.js';

/** `print-defaults config|csr|list`: cfssl's example files, byte for byte (with its blank last line). */
export function run(context: CliContext, kind: string): void {
  if (kind === 'list') {
    context.output.stdout(`Default configurations are available for:\n${KINDS.map((k) => `\t${k}\n`).join('')}`);
    return;
  }
  if (kind === 'config') {
    context.output.stdout(goJson(EXAMPLE_CA_CONFIG, '    ') + '\n\n');
    return;
  }
  if (kind === 'csr') {
    context.output.stdout(goJson(EXAMPLE_CSR, '    ') + '\n\n');
    return;
  }
  throw new PkiError('USAGE', `no defaults for ${JSON.stringify(kind)}`, { hint: didYouMean(kind, [...KINDS, 'list']) });
}
