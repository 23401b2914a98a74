import { Command } from 'commander';
import { inputName } from '../../io/input.js';
import type { CliContext } from '../context.js';
import { emitIssued, preflightBare, warnIfOutlivesCa, readAuthority, readPem, readPolicy, splitHosts } from '../shared.js';

interface SignOptions {
  ca?: string;
  caKey?: string;
  config?: string;
  profile?: string;
  hostname?: string;
  bare?: string;
  out?: string;
  dir?: string;
  force?: boolean;
}

/** `sign`: sign an existing PKCS#10 request. */
export function signCommand(context: CliContext): Command {
  return new Command('sign')
    .description('sign a PKCS#10 certificate request (PEM or DER) with a CA')
    .argument('<csr>', 'certificate request file, or - for stdin')
    .option('--ca <file>', 'CA certificate that signs')
    .option('--ca-key <file>', 'CA private key')
    .option('--config <file>', 'ca-config.json with the signing profiles')
    .option('--profile <name>', 'signing profile in the config')
    .option('--hostname <hosts>', "comma-separated hosts, replacing the request's SANs")
    .option('--bare <name>', 'write NAME.pem instead of printing JSON')
    .option('--out <name>', 'same as --bare')
    .option('--dir <dir>', 'directory for --bare/--out files', '.')
    .option('--force', 'replace existing files')
    .addHelpText(
      'after',
      `
Example:
  etcd-pki sign -ca rootca.pem -ca-key rootca-key.pem -config ca-config.json \\
      -profile server etcd1.csr | cfssljson -bare etcd1`,
    )
    .action(async (csrPath: string, options: SignOptions) => {
      const [{ signRequest }, { resolveProfile }] = await Promise.all([
        import('../../signing/operations.js'),
        import('../../profiles/resolve.js'),
      ]);
      const hosts = await splitHosts(options.hostname);
      const csr = await readPem(context, csrPath, 'certificate request', 'csr');
      const policy = await readPolicy(context, options.config);
      const profile = resolveProfile(policy, options.profile);
      const ca = await readAuthority(context, options);
      await preflightBare(context, options, { key: false });
      const issued = await signRequest({ csr, file: inputName(csrPath), ca, profile, hosts });
      await emitIssued(context, issued, options, [
        { path: csrPath, flag: 'the request' },
        { path: options.ca, flag: '-ca' },
        { path: options.caKey, flag: '-ca-key' },
        { path: options.config, flag: '-config' },
      ]);
      await warnIfOutlivesCa(context, issued, ca);
    });
}
