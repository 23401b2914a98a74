import { PkiError } from '../errors.js';
import { inputName, readInput } from '../io/input.js';
import { readPrivateKey } from '../keys/read.js';
import type { KeyPair } from '../keys/types.js';
import { loadCertificateAuthority, type CertificateAuthority } from '../signing/authority.js';
import type { CliContext } from './context.js';

/** Reads a private key in any format etcd-pki, cfssl or openssl writes. */
export async function readKey(context: CliContext, path: string): Promise<KeyPair> {
  return readPrivateKey(await readPem(context, path, 'private key', 'key'), inputName(path));
}

/**
 * Reads a PEM or DER input (`-` for stdin), refusing an empty one with a clearer message than
 * the parser's.
 */
export async function readPem(context: CliContext, path: string, what: string, kind: 'certificate' | 'key' | 'csr'): Promise<Uint8Array> {
  const data = await readInput(path, context.stdin, kind);
  if (data.every((byte) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09)) {
    throw new PkiError('INVALID_PEM', `the file is empty; expected a ${what}`, {
      file: inputName(path),
      hint: 'is it the right file? it may have been truncated by a failed earlier step',
    });
  }
  return data;
}

/**
 * Reads the CA (`-ca`, `-ca-key`) and checks that the key matches. Unlike cfssl, a missing
 * `-ca` or `-ca-key` is an error, not an empty output with status 0.
 */
export async function readAuthority(
  context: CliContext,
  options: { ca?: string | undefined; caKey?: string | undefined },
): Promise<CertificateAuthority> {
  if (!options.ca) throw new PkiError('USAGE', 'need a CA certificate', { hint: 'provide one with -ca' });
  if (!options.caKey) throw new PkiError('USAGE', 'need the CA private key', { hint: 'provide it with -ca-key' });
  if (options.ca === '-' && options.caKey === '-') {
    throw new PkiError('USAGE', 'only one input can be standard input', { hint: 'give -ca or -ca-key as a file' });
  }
  const certificate = await readPem(context, options.ca, 'CA certificate', 'certificate');
  const key = await readPem(context, options.caKey, 'CA private key', 'key');
  return loadCertificateAuthority({
    certificate,
    key,
    certificateFile: inputName(options.ca),
    keyFile: inputName(options.caKey),
  });
}
