import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addOutputOptions, type OutputOptions } from '../issuing-options.js';

/** selfsign's flags, as commander hands them to the action. */
export type SelfsignOptions = OutputOptions & { hostname?: string };

/** `selfsign [HOSTNAME] CSRJSON`: a self-signed certificate, for tests only. */
export function selfsignCommand(context: CliContext): Command {
  const command = new Command('selfsign')
    .description('generate a self-signed certificate (testing only: nothing can revoke it)')
    .argument('<args...>', '[HOSTNAME] CSRJSON: as in cfssl, HOSTNAME is read and ignored (the hosts come from the CSR JSON)')
    .option('--hostname <hosts>', 'read and ignored, as cfssl does');
  addOutputOptions(command).addHelpText('after', '\nExample:\n  etcd-pki selfsign example.com csr.json | cfssljson -bare selfsigned');
  return command.action(async (args: string[], options: SelfsignOptions) =>
    (await import('../actions/selfsign.js')).run(context, args, options),
  );
}
