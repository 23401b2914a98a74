import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { inputName } from '../../io/input.js';
import { emitIssued, preflightBare, readPem, readRequest, splitHosts } from '../shared.js';

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
    .action(
      async (csrjson: string, options: { key?: string; hostname?: string; bare?: string; out?: string; dir?: string; force?: boolean }) => {
        if (!options.key) throw new PkiError('USAGE', 'need the private key', { hint: 'provide it with -key' });
        const [{ createRequest }, { withOverrides }] = await Promise.all([
          import('../../signing/operations.js'),
          import('../../csr/overrides.js'),
        ]);
        const hosts = await splitHosts(context, options.hostname);
        const request = withOverrides(await readRequest(context, csrjson), { hosts });
        const keyText = await readPem(context, options.key, 'private key', 'key');
        const { readPrivateKey } = await import('../../keys/read.js');
        const key = readPrivateKey(keyText, inputName(options.key));
        // cfssl gencsr prints the key file back as it was, so `| cfssljson -bare NAME` writes
        // NAME-key.pem too. -bare does the same, but leaves a NAME-key.pem that already holds it.
        const echoed = Buffer.from(keyText).toString('utf8');
        const target = options.bare ?? options.out;
        const { bareTarget } = await import('../shared.js');
        const existing = target === undefined ? undefined : await readIfFile(await bareTarget(target, { dir: options.dir }));
        const writeKey = existing !== echoed;
        await preflightBare(context, options, { key: writeKey });
        const issued = await createRequest({ request, key });
        await emitIssued(context, writeKey || target === undefined ? { ...issued, key: echoed } : issued, options);
      },
    );
}

/** The text of DIR/BASE-key.pem when it is a regular file of at most 64 KiB, else undefined. */
async function readIfFile(target: { dir: string; base: string }): Promise<string | undefined> {
  const { lstatSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
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
