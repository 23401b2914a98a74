import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** certinfo's flags, as commander hands them to the action. */
export interface CertinfoOptions {
  cert?: string;
  csr?: string;
  domain?: string;
}

/** `certinfo -cert FILE | -csr FILE`: the certificate's or request's fields as cfssl prints them. */
export function certinfoCommand(context: CliContext): Command {
  return new Command('certinfo')
    .description('print the fields of a certificate or certificate request as JSON (cfssl certinfo)')
    .option('--cert <file>', 'certificate file (PEM or DER), or - for stdin')
    .option('--csr <file>', 'certificate request file, or - for stdin')
    .option('--domain <host>', 'not supported: etcd-pki makes no network connections here')
    .addHelpText('after', '\nExample:\n  etcd-pki certinfo -cert etcd1.pem')
    .action(async (options: CertinfoOptions) => (await import('../actions/certinfo.js')).run(context, options));
}
