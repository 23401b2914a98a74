import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addOutputOptions, type OutputOptions } from '../issuing-options.js';

/** gencert's flags, as commander hands them to the action. */
export interface GencertOptions extends OutputOptions {
  initca?: boolean;
  ca?: string;
  caKey?: string;
  config?: string;
  profile?: string;
  hostname?: string;
  cn?: string;
}

/** `gencert`: a new key, its CSR and a certificate (or, with -initca, a new root CA). */
export function gencertCommand(context: CliContext): Command {
  const command = new Command('gencert')
    .description('generate a new key and a signed certificate (or a root CA with -initca)')
    .argument('<csrjson>', 'CSR JSON file (cfssl format), or - for stdin')
    .option('--initca', 'make a self-signed root CA from the CSR JSON')
    .option('--ca <file>', 'CA certificate that signs')
    .option('--ca-key <file>', 'CA private key (with -initca: use this key for the new CA)')
    .option('--config <file>', 'ca-config.json with the signing profiles (default: cfssl built-in policy)')
    .option('--profile <name>', 'signing profile in the config (default: signing.default)')
    .option('--hostname <hosts>', 'comma-separated hosts, replacing the CSR JSON\'s "hosts"')
    .option('--cn <name>', 'common name, replacing the CSR JSON\'s "CN"');
  addOutputOptions(command).addHelpText(
    'after',
    `
Examples:
  etcd-pki gencert -initca rootca-csr.json | cfssljson -bare rootca
  etcd-pki gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json \\
      -profile=peer etcd1-peer-csr.json | etcd-pki json -bare etcd1-peer
  etcd-pki gencert -ca rootca.pem -ca-key rootca-key.pem -config ca-config.json \\
      -profile server -bare etcd1 etcd1-csr.json`,
  );
  return command.action(async (csrjson: string, options: GencertOptions) =>
    (await import('../actions/gencert.js')).run(context, csrjson, options),
  );
}
