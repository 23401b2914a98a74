import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import { inputName } from '../../io/input.js';
import type { CliContext } from '../context.js';
import { goJson } from '../output.js';
import { readPem } from '../shared.js';

/** `certinfo -cert FILE | -csr FILE`: the certificate's or request's fields as cfssl prints them. */
export function certinfoCommand(context: CliContext): Command {
  return new Command('certinfo')
    .description('print the fields of a certificate or certificate request as JSON (cfssl certinfo)')
    .option('--cert <file>', 'certificate file (PEM or DER), or - for stdin')
    .option('--csr <file>', 'certificate request file, or - for stdin')
    .option('--domain <host>', 'not supported: etcd-pki makes no network connections here')
    .addHelpText('after', '\nExample:\n  etcd-pki certinfo -cert etcd1.pem')
    .action(async (options: { cert?: string; csr?: string; domain?: string }) => {
      if (options.domain) {
        throw new PkiError('UNSUPPORTED', 'certinfo -domain is not supported', {
          hint: 'use "openssl s_client -connect HOST:PORT" or "etcd-pki doctor -endpoint"',
        });
      }
      if ((options.cert === undefined) === (options.csr === undefined)) {
        throw new PkiError('USAGE', 'certinfo needs exactly one of -cert or -csr', { hint: 'etcd-pki certinfo -cert etcd1.pem' });
      }
      const info = await import('../../x509/certinfo.js');
      if (options.cert !== undefined) {
        const { parseCertificate } = await import('../../x509/parse.js');
        const parsed = parseCertificate(await readPem(context, options.cert, 'certificate', 'certificate'), inputName(options.cert));
        context.output.stdout(goJson(info.certificateInfo(parsed), '  ') + '\n');
      } else {
        const { parseCertificationRequest } = await import('../../x509/request.js');
        const parsed = parseCertificationRequest(
          await readPem(context, options.csr!, 'certificate request', 'csr'),
          inputName(options.csr!),
        );
        context.output.stdout(goJson(info.requestInfo(parsed), '  ') + '\n');
      }
    });
}
