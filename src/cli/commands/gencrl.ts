import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `gencrl`: cfssl's CRL from a file of serials, printed as base64 DER. */
export function gencrlCommand(context: CliContext): Command {
  return new Command('gencrl')
    .description('generate a CRL from a file of serial numbers, signed by a CA (cfssl gencrl): base64 DER on stdout')
    .argument('<serials>', 'text file with one decimal serial number a line, or - for stdin')
    .argument('<cert>', 'the CA certificate that signs the CRL, or -')
    .argument('<key>', "the CA's private key, or -")
    .argument('[seconds]', 'validity from now, in seconds (default 604800, one week)')
    .addHelpText(
      'after',
      `
Example (cfssl's output: base64 DER, one line):
  etcd-pki gencrl revoked.txt rootca.pem rootca-key.pem 86400 | base64 -d | openssl crl -inform DER -text

For a bundle made by cluster-bundle, use "etcd-pki revoke" instead: it finds the serials, keeps
the CRL in the bundle and names it in every member's configuration.`,
    )
    .action(async (serialsPath: string, cert: string, key: string, seconds: string | undefined) =>
      (await import('../actions/gencrl.js')).run(context, serialsPath, cert, key, seconds),
    );
}
