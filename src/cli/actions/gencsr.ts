import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PkiError } from '../../errors.js';
import { withOverrides } from '../../csr/overrides.js';
import { inputName } from '../../io/input.js';
import { readPrivateKey } from '../../keys/read.js';
import { createRequest } from '../../signing/operations.js';
import { bareTarget, emitIssued, preflightBare } from '../bare-output.js';
import type { GencsrOptions } from '../commands/gencsr.js';
import type { CliContext } from '../context.js';
import { readPem } from '../read-authority.js';
import { readRequest, splitHosts } from '../read-request.js';

/** `gencsr -key KEY CSRJSON`: a CSR for an existing key. */
export async function run(context: CliContext, csrjson: string, options: GencsrOptions): Promise<void> {
  if (!options.key) throw new PkiError('USAGE', 'need the private key', { hint: 'provide it with -key' });
  const hosts = splitHosts(context, options.hostname);
  const request = withOverrides(await readRequest(context, csrjson), { hosts });
  const keyText = await readPem(context, options.key, 'private key', 'key');
  const key = readPrivateKey(keyText, inputName(options.key));
  // cfssl gencsr prints the key file back as it was, so `| cfssljson -bare NAME` writes
  // NAME-key.pem too. -bare does the same, but leaves a NAME-key.pem that already holds it.
  const echoed = Buffer.from(keyText).toString('utf8');
  const target = options.bare ?? options.out;
  const existing = target === undefined ? undefined : readIfFile(bareTarget(target, { dir: options.dir }));
  const writeKey = existing !== echoed;
  await preflightBare(context, options, { key: writeKey });
  const issued = await createRequest({ request, key });
  await emitIssued(context, writeKey || target === undefined ? { ...issued, key: echoed } : issued, options);
}

/** The text of DIR/BASE-key.pem when it is a regular file of at most 64 KiB, else undefined. */
function readIfFile(target: { dir: string; base: string }): string | undefined {
  const path = join(target.dir, `${target.base}-key.pem`);
  try {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size > 65_536) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    // Unreadable or below a file: writing it will say why.
    return undefined;
  }
}
