import { PkiError } from '../errors.js';
import { loadCertificateRequest } from '../csr/load.js';
import type { CertificateRequestSpec } from '../csr/types.js';
import { inputName, readTextInput } from '../io/input.js';
import { defaultSigningPolicy, loadSigningPolicy } from '../profiles/load.js';
import type { SigningPolicy } from '../profiles/types.js';
import { classifyHosts } from '../x509/hosts.js';
import type { CliContext } from './context.js';
import { warnings } from './warnings.js';

/** Reads and validates a CSR JSON file (`-` for stdin). */
export async function readRequest(context: CliContext, path: string): Promise<CertificateRequestSpec> {
  const text = await readTextInput(path, context.stdin, 'request');
  return loadCertificateRequest(text, { file: inputName(path), onWarning: warnings(context) });
}

/** Reads and validates ca-config.json, or cfssl's built-in policy when no file is given. */
export async function readPolicy(context: CliContext, path: string | undefined): Promise<SigningPolicy> {
  if (path === undefined) return defaultSigningPolicy();
  return loadSigningPolicy(await readTextInput(path, context.stdin, 'policy'), { file: inputName(path), onWarning: warnings(context) });
}

/**
 * `a,b , c` -> `['a', 'b', 'c']` (cfssl's -hostname), each checked as the CSR JSON's hosts are.
 * As in cfssl, an empty value replaces nothing and an empty element is an empty DNS name (with
 * a warning). Unlike cfssl, a value of only commas and spaces (",,, ") is refused: cfssl replaces
 * the request's hosts with empty names and " " (RFC 5280 4.2.1.6: a dNSName of " " MUST NOT be
 * used), a certificate that names no host (docs/cfssl-compatibility.md).
 * @throws PkiError INVALID_HOST naming -hostname and the host, or when it names no host.
 */
export function splitHosts(context: CliContext, value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const hosts = value.split(',').map((host) => host.trim());
  if (hosts.every((host) => host === '')) {
    throw new PkiError('INVALID_HOST', `-hostname ${JSON.stringify(value)} names no host`, {
      file: '-hostname',
      hint: "give comma-separated hosts, e.g. -hostname etcd1.example.com,10.0.0.1; leave -hostname out to keep the request's own",
    });
  }
  classifyHosts(hosts, { file: '-hostname', asCfssl: warnings(context) });
  return hosts;
}
