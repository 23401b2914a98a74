import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { emitIssued, preflightBare, readKey, readRequest } from '../shared.js';

/** `gencsr`: a CSR for an existing key. */
export function gencsrCommand(context: CliContext): Command {
  return new Command('gencsr')
    .description('generate a CSR for an existing private key')
    .argument('<csrjson>', 'CSR JSON file, or - for stdin')
    .option('--key <file>', 'the private key (any PEM label, or DER)')
    .option('--bare <name>', 'write NAME.csr instead of printing JSON')
    .option('--out <name>', 'same as --bare')
    .option('--dir <dir>', 'directory for --bare/--out files', '.')
    .addHelpText('after', '\nExample:\n  etcd-pki gencsr -key etcd1-key.pem etcd1-csr.json | cfssljson -bare etcd1')
    .action(async (csrjson: string, options: { key?: string; bare?: string; out?: string; dir?: string }) => {
      if (!options.key) throw new PkiError('USAGE', 'need the private key', { hint: 'provide it with -key' });
      const { createRequest } = await import('../../signing/operations.js');
      const request = await readRequest(context, csrjson);
      const key = await readKey(context, options.key);
      await preflightBare(context, options, { key: false });
      await emitIssued(context, await createRequest({ request, key }), options);
    });
}
