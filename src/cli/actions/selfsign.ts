import { PkiError } from '../../errors.js';
import { selfSign } from '../../signing/operations.js';
import { emitIssued, preflightBare } from '../bare-output.js';
import type { SelfsignOptions } from '../commands/selfsign.js';
import type { CliContext } from '../context.js';
import { readRequest } from '../read-request.js';
import { warnings } from '../warnings.js';

/** `selfsign [HOSTNAME] CSRJSON`: a self-signed certificate, for tests only. */
export async function run(context: CliContext, args: string[], options: SelfsignOptions): Promise<void> {
  if (args.length > 2) throw new PkiError('USAGE', 'selfsign takes [HOSTNAME] CSRJSON', { hint: 'etcd-pki selfsign example.com csr.json' });
  const [hostArg, csrjson] = args.length === 2 ? [args[0], args[1]!] : [undefined, args[0]!];
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
}
