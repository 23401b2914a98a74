import { join } from 'node:path';
import type { IssuedPem } from '../signing/operations.js';
import type { CertificateAuthority } from '../signing/authority.js';
import type { CertificateRequestSpec } from '../csr/types.js';
import type { SigningPolicy } from '../profiles/types.js';
import type { KeyPair } from '../keys/types.js';
import { PkiError } from '../errors.js';
import { readInput, readTextInput } from '../io/input.js';
import type { CliContext } from './context.js';
import type { OutputOptions } from './issuing-options.js';
import { goJson } from './output.js';

/** Reads and validates a CSR JSON file (`-` for stdin). */
export async function readRequest(context: CliContext, path: string): Promise<CertificateRequestSpec> {
  const text = await readTextInput(path, context.stdin);
  const { loadCertificateRequest } = await import('../csr/load.js');
  return loadCertificateRequest(text, { file: path });
}

/** Reads and validates ca-config.json, or cfssl's built-in policy when no file is given. */
export async function readPolicy(context: CliContext, path: string | undefined): Promise<SigningPolicy> {
  const { loadSigningPolicy, defaultSigningPolicy } = await import('../profiles/load.js');
  if (path === undefined) return defaultSigningPolicy();
  return loadSigningPolicy(await readTextInput(path, context.stdin), { file: path });
}

/** Reads a private key in any format etcd-pki, cfssl or openssl writes. */
export async function readKey(context: CliContext, path: string): Promise<KeyPair> {
  const { readPrivateKey } = await import('../keys/read.js');
  return readPrivateKey(await readInput(path, context.stdin), path);
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
  const [certificate, key] = await Promise.all([readInput(options.ca, context.stdin), readInput(options.caKey, context.stdin)]);
  const { loadCertificateAuthority } = await import('../signing/authority.js');
  return loadCertificateAuthority({ certificate, key, certificateFile: options.ca, keyFile: options.caKey });
}

/** `a,b , c` -> `['a', 'b', 'c']` (cfssl's -hostname). */
export function splitHosts(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
}

/**
 * Before generating a key for `-bare`: the base name is plain, the directory writable and no key
 * would be replaced without --force. Catches these before any work is done.
 */
export async function preflightBare(options: OutputOptions): Promise<void> {
  const base = options.bare ?? options.out;
  if (base === undefined) return;
  const { assertPlainName } = await import('../io/safe-path.js');
  assertPlainName(base, '-bare name');
  const { assertWritableDirectory } = await import('../io/write-files.js');
  await assertWritableDirectory(options.dir ?? '.');
  if (!options.force) {
    const { lstat } = await import('node:fs/promises');
    const keyPath = join(options.dir ?? '.', `${base}-key.pem`);
    const exists = await lstat(keyPath).then(
      () => true,
      () => false,
    );
    if (exists) {
      throw new PkiError('FILE_EXISTS', `refusing to overwrite the existing private key ${keyPath}`, {
        file: keyPath,
        hint: 'move it away first, or pass --force to replace it (the old key is then lost)',
      });
    }
  }
}

/**
 * Prints cfssl's one-line JSON (keys cert, csr, key, as cfssl prints them) or, with -bare/--out,
 * writes the files cfssljson would write, atomically.
 */
export async function emitIssued(context: CliContext, issued: IssuedPem, options: OutputOptions): Promise<void> {
  const fields = {
    ...(issued.cert !== undefined ? { cert: issued.cert } : {}),
    ...(issued.csr !== undefined ? { csr: issued.csr } : {}),
    ...(issued.key !== undefined ? { key: issued.key } : {}),
  };
  const base = options.bare ?? options.out;
  if (base === undefined) {
    context.output.stdout(goJson(fields) + '\n');
    return;
  }
  const { cfssljsonFiles } = await import('../io/cfssljson-names.js');
  const { writeFileSet } = await import('../io/write-files.js');
  const dir = options.dir ?? '.';
  const report = await writeFileSet(dir, { files: cfssljsonFiles(base, fields) }, {
    force: options.force ?? false,
    inFlight: context.inFlight,
  });
  if (!context.quiet) {
    for (const path of report.written) context.output.stderr(`wrote ${join(dir, path)}\n`);
  }
}
