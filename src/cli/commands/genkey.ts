import { Command } from 'commander';
import { inputName } from '../../io/input.js';
import type { CliContext } from '../context.js';
import { addOutputOptions, type OutputOptions } from '../issuing-options.js';
import { emitIssued, preflightBare, readRequest } from '../shared.js';

/** `genkey`: a new key and its CSR (with -initca, a self-signed CA as well). */
export function genkeyCommand(context: CliContext): Command {
  const command = new Command('genkey')
    .description('generate a new key and CSR (with -initca: a self-signed CA)')
    .argument('<csrjson>', 'CSR JSON file, or - for stdin')
    .option('--initca', 'also make a self-signed CA certificate');
  addOutputOptions(command).addHelpText('after', '\nExample:\n  etcd-pki genkey etcd1-csr.json | cfssljson -bare etcd1');
  return command.action(async (csrjson: string, options: OutputOptions & { initca?: boolean }) => {
    const { generateKey, initCA } = await import('../../signing/operations.js');
    const request = await readRequest(context, csrjson);
    if (request.ca && !options.initca) {
      const { PkiError } = await import('../../errors.js');
      // cfssl: "ca section only permitted in initca".
      throw new PkiError('INVALID_REQUEST', 'the request has a "ca" section, which only genkey -initca uses', {
        file: inputName(csrjson),
        path: '/ca',
        hint: 'add -initca to make a root CA, or remove "ca"',
      });
    }
    await preflightBare(context, options, { key: true });
    const keyFormat = options.keyFormat ?? 'cfssl';
    const issued = options.initca ? await initCA({ request, keyFormat }) : await generateKey({ request, keyFormat });
    await emitIssued(context, issued, options);
  });
}
