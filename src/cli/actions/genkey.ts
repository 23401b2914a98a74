import { PkiError } from '../../errors.js';
import { inputName } from '../../io/input.js';
import { generateKey, initCA } from '../../signing/operations.js';
import { emitIssued, preflightBare } from '../bare-output.js';
import type { GenkeyOptions } from '../commands/genkey.js';
import type { CliContext } from '../context.js';
import { readRequest } from '../read-request.js';

/** `genkey CSRJSON`: a new key and its CSR (with -initca, a self-signed CA as well). */
export async function run(context: CliContext, csrjson: string, options: GenkeyOptions): Promise<void> {
  const request = await readRequest(context, csrjson);
  if (request.ca && !options.initca) {
    // cfssl: "ca section only permitted in initca".
    throw new PkiError('INVALID_REQUEST', 'the request has a "ca" section, which only genkey -initca uses', {
      file: inputName(csrjson),
      path: '/ca',
      hint: 'add -initca to make a root CA, or remove "ca"',
    });
  }
  await preflightBare(context, options, { key: true });
  const keyFormat = options.keyFormat ?? 'cfssl';
  const issued = options.initca ? await initCA({ request, keyFormat }) : await generateKey({ request, keyFormat });
  await emitIssued(context, issued, options);
}
