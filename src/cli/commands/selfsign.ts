import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { addOutputOptions, type OutputOptions } from '../issuing-options.js';
import { emitIssued, preflightBare, readRequest, warnings } from '../shared.js';

/** `selfsign [HOSTNAME] CSRJSON`: a self-signed certificate, for tests only. */
export function selfsignCommand(context: CliContext): Command {
  const command = new Command('selfsign')
    .description('generate a self-signed certificate (testing only: nothing can revoke it)')
    .argument('<args...>', '[HOSTNAME] CSRJSON: as in cfssl, HOSTNAME is read and ignored (the hosts come from the CSR JSON)')
    .option('--hostname <hosts>', 'read and ignored, as cfssl does');
  addOutputOptions(command).addHelpText('after', '\nExample:\n  etcd-pki selfsign example.com csr.json | cfssljson -bare selfsigned');
  return command.action(async (args: string[], options: OutputOptions & { hostname?: string }) => {
    if (args.length > 2)
      throw new PkiError('USAGE', 'selfsign takes [HOSTNAME] CSRJSON', { hint: 'etcd-pki selfsign example.com csr.json' });
    const [hostArg, csrjson] = args.length === 2 ? [args[0], args[1]!] : [undefined, args[0]!];
    const { selfSign } = await import('../../signing/operations.js');
    const request = await readRequest(context, csrjson);
    const ignored = options.hostname ?? hostArg;
    if (ignored !== undefined && ignored !== '') {
      // cfssl 1.6.5 reads HOSTNAME (or -hostname) and then signs the CSR JSON's hosts.
      warnings(context)({
        message: `hostname ${JSON.stringify(ignored)} is ignored, as cfssl ignores it; the certificate names the CSR JSON's "hosts"`,
      });
    }
    await preflightBare(context, options, { key: true });
    await emitIssued(context, await selfSign({ request, keyFormat: options.keyFormat ?? 'cfssl' }), options);
    // After the output, so that a failure is the only line on stderr.
    if (!context.quiet) context.output.stderr('warning: a self-signed certificate cannot be revoked; use it for testing only\n');
  });
}
