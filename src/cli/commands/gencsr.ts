import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** gencsr's flags, as commander hands them to the action. */
export interface GencsrOptions {
  key?: string;
  hostname?: string;
  bare?: string;
  out?: string;
  dir?: string;
  force?: boolean;
}

/** `gencsr`: a CSR for an existing key. */
export function gencsrCommand(context: CliContext): Command {
  return new Command('gencsr')
    .description('generate a CSR for an existing private key')
    .argument('<csrjson>', 'CSR JSON file, or - for stdin')
    .option('--key <file>', 'the private key (any PEM label, or DER); printed back as "key", as cfssl does')
    .option('--hostname <hosts>', 'comma-separated hosts, replacing the CSR JSON\'s "hosts"')
    .option('--bare <name>', 'write NAME.csr instead of printing JSON')
    .option('--out <name>', 'same as --bare')
    .option('--dir <dir>', 'directory for --bare/--out files', '.')
    .addHelpText('after', '\nExample:\n  etcd-pki gencsr -key etcd1-key.pem etcd1-csr.json | cfssljson -bare etcd1')
    .action(async (csrjson: string, options: GencsrOptions) => (await import('../actions/gencsr.js')).run(context, csrjson, options));
}
