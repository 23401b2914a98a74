import { PkiError } from '../../errors.js';
import { inputName } from '../../io/input.js';
import { certificateInfo, requestInfo } from '../../x509/certinfo.js';
import { parseCertificate } from '../../x509/parse.js';
import { parseCertificationRequest } from '../../x509/request.js';
import type { CertinfoOptions } from '../commands/certinfo.js';
import type { CliContext } from '../context.js';
import { goJson } from '../output.js';
import { readPem } from '../read-authority.js';

/** `certinfo -cert FILE | -csr FILE`: the certificate's or request's fields as cfssl prints them. */
export async function run(context: CliContext, options: CertinfoOptions): Promise<void> {
  if (options.domain) {
    throw new PkiError('UNSUPPORTED', 'certinfo -domain is not supported', {
      hint: 'use "openssl s_client -connect HOST:PORT" or "etcd-pki doctor -endpoint"',
    });
  }
  if ((options.cert === undefined) === (options.csr === undefined)) {
    throw new PkiError('USAGE', 'certinfo needs exactly one of -cert or -csr', { hint: 'etcd-pki certinfo -cert etcd1.pem' });
  }
  if (options.cert !== undefined) {
    const parsed = parseCertificate(await readPem(context, options.cert, 'certificate', 'certificate'), inputName(options.cert));
    context.output.stdout(goJson(certificateInfo(parsed), '  ') + '\n');
  } else {
    const parsed = parseCertificationRequest(await readPem(context, options.csr!, 'certificate request', 'csr'), inputName(options.csr!));
    context.output.stdout(goJson(requestInfo(parsed), '  ') + '\n');
  }
}
