import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** sign's flags, as commander hands them to the action. */
export interface SignOptions {
  ca?: string;
  caKey?: string;
  config?: string;
  profile?: string;
  hostname?: string;
  bare?: string;
  out?: string;
  dir?: string;
  force?: boolean;
}

/** `sign`: sign an existing PKCS#10 request. */
export function signCommand(context: CliContext): Command {
  return new Command('sign')
    .description('sign a PKCS#10 certificate request (PEM or DER) with a CA')
    .argument('<csr>', 'certificate request file, or - for stdin')
    .argument('[subject]', 'JSON file with {"CN", "names", "SerialNumber"} replacing the request\'s subject (cfssl sign CSR SUBJECT)')
    .option('--ca <file>', 'CA certificate that signs')
    .option('--ca-key <file>', 'CA private key')
    .option('--config <file>', 'ca-config.json with the signing profiles')
    .option('--profile <name>', 'signing profile in the config')
    .option('--hostname <hosts>', "comma-separated hosts, replacing the request's SANs")
    .option('--bare <name>', 'write NAME.pem instead of printing JSON')
    .option('--out <name>', 'same as --bare')
    .option('--dir <dir>', 'directory for --bare/--out files', '.')
    .option('--force', 'replace existing files')
    .addHelpText(
      'after',
      `
Example:
  etcd-pki sign -ca rootca.pem -ca-key rootca-key.pem -config ca-config.json \\
      -profile server etcd1.csr | cfssljson -bare etcd1`,
    )
    .action(async (csrPath: string, subjectPath: string | undefined, options: SignOptions) =>
      (await import('../actions/sign.js')).run(context, csrPath, subjectPath, options),
    );
}
