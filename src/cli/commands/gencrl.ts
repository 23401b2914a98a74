import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import { inputName, readTextInput } from '../../io/input.js';
import type { CliContext } from '../context.js';
import { readAuthority } from '../shared.js';

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
    .action(async (serialsPath: string, cert: string, key: string, seconds: string | undefined) => {
      if ([serialsPath, cert, key].filter((path) => path === '-').length > 1) {
        throw new PkiError('USAGE', 'only one input can be standard input', { hint: 'give the others as files' });
      }
      const { generateCrl, parseCrlSeconds } = await import('../../signing/gencrl.js');
      const expirySeconds = seconds === undefined ? undefined : parseCrlSeconds(seconds);
      const serials = await readTextInput(serialsPath, context.stdin, 'serials');
      const ca = await readAuthority(context, { ca: cert, caKey: key });
      const der = await generateCrl({ serials, file: inputName(serialsPath), ca, expirySeconds });
      context.output.stdout(`${Buffer.from(der).toString('base64')}\n`);
    });
}
