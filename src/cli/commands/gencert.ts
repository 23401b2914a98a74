import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import { inputName } from '../../io/input.js';
import type { CliContext } from '../context.js';
import { addOutputOptions, type OutputOptions } from '../issuing-options.js';
import {
  emitIssued,
  preflightBare,
  warnIfOutlivesCa,
  readAuthority,
  readKey,
  readPolicy,
  readRequest,
  splitHosts,
  warnings,
} from '../shared.js';

interface GencertOptions extends OutputOptions {
  initca?: boolean;
  ca?: string;
  caKey?: string;
  config?: string;
  profile?: string;
  hostname?: string;
  cn?: string;
}

/** `gencert`: a new key, its CSR and a certificate (or, with -initca, a new root CA). */
export function gencertCommand(context: CliContext): Command {
  const command = new Command('gencert')
    .description('generate a new key and a signed certificate (or a root CA with -initca)')
    .argument('<csrjson>', 'CSR JSON file (cfssl format), or - for stdin')
    .option('--initca', 'make a self-signed root CA from the CSR JSON')
    .option('--ca <file>', 'CA certificate that signs')
    .option('--ca-key <file>', 'CA private key (with -initca: use this key for the new CA)')
    .option('--config <file>', 'ca-config.json with the signing profiles (default: cfssl built-in policy)')
    .option('--profile <name>', 'signing profile in the config (default: signing.default)')
    .option('--hostname <hosts>', 'comma-separated hosts, replacing the CSR JSON\'s "hosts"')
    .option('--cn <name>', 'common name, replacing the CSR JSON\'s "CN"');
  addOutputOptions(command).addHelpText(
    'after',
    `
Examples:
  etcd-pki gencert -initca rootca-csr.json | cfssljson -bare rootca
  etcd-pki gencert -ca=rootca.pem -ca-key=rootca-key.pem -config=ca-config.json \\
      -profile=peer etcd1-peer-csr.json | etcd-pki json -bare etcd1-peer
  etcd-pki gencert -ca rootca.pem -ca-key rootca-key.pem -config ca-config.json \\
      -profile server -bare etcd1 etcd1-csr.json`,
  );
  return command.action(async (csrjson: string, options: GencertOptions) => {
    const [{ initCA, generateCertificate }, { withOverrides }, { resolveProfile }] = await Promise.all([
      import('../../signing/operations.js'),
      import('../../csr/overrides.js'),
      import('../../profiles/resolve.js'),
    ]);
    const hosts = await splitHosts(context, options.hostname);
    // cfssl -initca uses the CSR JSON's hosts and ignores -hostname.
    const request = withOverrides(await readRequest(context, csrjson), {
      hosts: options.initca ? undefined : hosts,
      commonName: options.cn,
    });
    const keyFormat = options.keyFormat ?? 'cfssl';
    if (options.initca) {
      if (hosts)
        warnings(context)({ message: '-hostname is ignored with -initca, as cfssl ignores it; the CA takes the IP addresses of "hosts"' });
      const key = options.caKey ? await readKey(context, options.caKey) : undefined;
      await preflightBare(context, options, { key: key === undefined });
      await emitIssued(context, await initCA({ request, keyFormat, ...(key ? { key } : {}) }), options);
      return;
    }
    if (request.ca) {
      // cfssl: "ca section only permitted in initca"; a CA is never issued by accident.
      throw new PkiError('INVALID_REQUEST', 'the request has a "ca" section, which only gencert -initca uses', {
        file: inputName(csrjson),
        path: '/ca',
        hint: 'remove "ca" to issue a leaf certificate; for an intermediate CA, make its CSR with genkey -initca and sign it with a profile that has "ca_constraint"',
      });
    }
    const policy = await readPolicy(context, options.config);
    const profile = resolveProfile(policy, options.profile);
    const ca = await readAuthority(context, options);
    await preflightBare(context, options, { key: true });
    const issued = await generateCertificate({ request, ca, profile, keyFormat });
    await emitIssued(context, issued, options, [
      { path: csrjson, flag: 'the CSR JSON' },
      { path: options.ca, flag: '-ca' },
      { path: options.caKey, flag: '-ca-key' },
      { path: options.config, flag: '-config' },
    ]);
    await warnIfOutlivesCa(context, issued, ca);
  });
}
