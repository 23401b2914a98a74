import { PkiError } from '../../errors.js';
import { inputName, readTextInput } from '../../io/input.js';
import { generateCrl, parseCrlSeconds } from '../../signing/gencrl.js';
import type { CliContext } from '../context.js';
import { readAuthority } from '../read-authority.js';

/** `gencrl SERIALS CERT KEY [SECONDS]`: cfssl's CRL from a file of serials, printed as base64 DER. */
export async function run(context: CliContext, serialsPath: string, cert: string, key: string, seconds: string | undefined): Promise<void> {
  if ([serialsPath, cert, key].filter((path) => path === '-').length > 1) {
    throw new PkiError('USAGE', 'only one input can be standard input', { hint: 'give the others as files' });
  }
  const expirySeconds = seconds === undefined ? undefined : parseCrlSeconds(seconds);
  const serials = await readTextInput(serialsPath, context.stdin, 'serials');
  const ca = await readAuthority(context, { ca: cert, caKey: key });
  const der = await generateCrl({ serials, file: inputName(serialsPath), ca, expirySeconds });
  context.output.stdout(`${Buffer.from(der).toString('base64')}\n`);
}
