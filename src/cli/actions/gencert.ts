import { PkiError } from '../../errors.js';
import { inputName } from '../../io/input.js';
import { withOverrides } from '../../csr/overrides.js';
import { resolveProfile } from '../../profiles/resolve.js';
import { generateCertificate, initCA } from '../../signing/operations.js';
import { emitIssued, preflightBare, warnIfOutlivesCa } from '../bare-output.js';
import type { GencertOptions } from '../commands/gencert.js';
import type { CliContext } from '../context.js';
import { readAuthority, readKey } from '../read-authority.js';
import { readPolicy, readRequest, splitHosts } from '../read-request.js';
import { warnings } from '../warnings.js';

/** `gencert CSRJSON`: a new key, its CSR and a certificate (or, with -initca, a new root CA). */
export async function run(context: CliContext, csrjson: string, options: GencertOptions): Promise<void> {
  const hosts = splitHosts(context, options.hostname);
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
  warnIfOutlivesCa(context, issued, ca);
}
