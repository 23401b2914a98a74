import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { IssuedPem } from '../signing/operations.js';
import type { CertificateAuthority } from '../signing/authority.js';
import type { CertificateRequestSpec } from '../csr/types.js';
import type { SigningPolicy } from '../profiles/types.js';
import type { KeyPair } from '../keys/types.js';
import { PkiError, describeWarning, type WarningSink } from '../errors.js';
import { inputName, readInput, readTextInput } from '../io/input.js';
import type { CliContext } from './context.js';
import type { OutputOptions } from './issuing-options.js';
import type { LockOptions } from '../io/lock.js';
import { goJson } from './output.js';

/**
 * Temp files older than this in an output directory are left by a run that was killed: -bare
 * writes lock only their own base name, not the directory, so only temp files that no live run
 * can still be writing are removed.
 */
export const STALE_TEMP_MS = 10 * 60_000;

/** Prints each warning as one line on stderr: what cfssl does silently, said aloud. */
export function warnings(context: CliContext): WarningSink {
  return (warning) => context.output.stderr(`etcd-pki: warning: ${describeWarning(warning)}\n`);
}

/** Reads and validates a CSR JSON file (`-` for stdin). */
export async function readRequest(context: CliContext, path: string): Promise<CertificateRequestSpec> {
  const text = await readTextInput(path, context.stdin, 'request');
  const { loadCertificateRequest } = await import('../csr/load.js');
  return loadCertificateRequest(text, { file: inputName(path), onWarning: warnings(context) });
}

/** Reads and validates ca-config.json, or cfssl's built-in policy when no file is given. */
export async function readPolicy(context: CliContext, path: string | undefined): Promise<SigningPolicy> {
  const { loadSigningPolicy, defaultSigningPolicy } = await import('../profiles/load.js');
  if (path === undefined) return defaultSigningPolicy();
  return loadSigningPolicy(await readTextInput(path, context.stdin, 'policy'), { file: inputName(path), onWarning: warnings(context) });
}

/** Reads a private key in any format etcd-pki, cfssl or openssl writes. */
export async function readKey(context: CliContext, path: string): Promise<KeyPair> {
  const { readPrivateKey } = await import('../keys/read.js');
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
  const { loadCertificateAuthority } = await import('../signing/authority.js');
  return loadCertificateAuthority({
    certificate,
    key,
    certificateFile: inputName(options.ca),
    keyFile: inputName(options.caKey),
  });
}

/**
 * `a,b , c` -> `['a', 'b', 'c']` (cfssl's -hostname), each checked as the CSR JSON's hosts are.
 * As in cfssl, an empty value replaces nothing and an empty element is an empty DNS name (with
 * a warning). Unlike cfssl, a value of only commas and spaces (",,, ") is refused: cfssl replaces
 * the request's hosts with empty names and " " (RFC 5280 4.2.1.6: a dNSName of " " MUST NOT be
 * used), a certificate that names no host (docs/cfssl-compatibility.md).
 * @throws PkiError INVALID_HOST naming -hostname and the host, or when it names no host.
 */
export async function splitHosts(context: CliContext, value: string | undefined): Promise<string[] | undefined> {
  if (value === undefined || value === '') return undefined;
  const hosts = value.split(',').map((host) => host.trim());
  if (hosts.every((host) => host === '')) {
    throw new PkiError('INVALID_HOST', `-hostname ${JSON.stringify(value)} names no host`, {
      file: '-hostname',
      hint: "give comma-separated hosts, e.g. -hostname etcd1.example.com,10.0.0.1; leave -hostname out to keep the request's own",
    });
  }
  const { classifyHosts } = await import('../x509/hosts.js');
  classifyHosts(hosts, { file: '-hostname', asCfssl: warnings(context) });
  return hosts;
}

/**
 * Where BASE.pem goes. `json -bare certs/etcd1` or `/abs/etcd1` (`allowPath`): cfssljson writes
 * wherever BASE points; the directory part joins `-dir`, the last part must be a plain name.
 * The issuing commands' own `-bare NAME` takes a plain name, the directory coming from `-dir`.
 */
export async function bareTarget(
  base: string,
  options: { readonly dir: string | undefined; readonly allowPath?: boolean },
): Promise<{ dir: string; base: string }> {
  const { dir, allowPath = false } = options;
  const { dirname, basename, join: joinPath, isAbsolute } = await import('node:path');
  const { assertPlainName } = await import('../io/safe-path.js');
  const what = allowPath ? 'base name' : '-bare name';
  // The whole value first: empty, control characters (a NUL byte), a trailing separator.
  if (!allowPath || base === '' || /[\x00-\x1f\x7f]/.test(base) || base.endsWith('/')) assertPlainName(base, what);
  const name = basename(base);
  assertPlainName(name, what);
  const parent = dirname(base);
  if (parent === '.') return { dir: dir ?? '.', base: name };
  return { dir: isAbsolute(parent) ? parent : joinPath(dir ?? '.', parent), base: name };
}

/**
 * Before any key is generated for `-bare`: the base name is plain, the directory usable, none
 * of the files would be written through a symbolic link, and no key would be replaced without
 * --force. writeFileSet checks all this again when it writes; this reports it before the work.
 */
export async function preflightBare(context: CliContext, options: OutputOptions, writes: { key: boolean }): Promise<void> {
  const target = options.bare ?? options.out;
  if (target === undefined) return;
  const { dir, base } = await bareTarget(target, { dir: options.dir });
  const { assertWritableDirectory } = await import('../io/write-files.js');
  await assertWritableDirectory(dir, context.inFlight);
  for (const name of [`${base}-key.pem`, `${base}.pem`, `${base}.csr`]) {
    const path = join(dir, name);
    const found = lstatOrAbsent(path);
    if (!found) continue;
    if (found.isSymbolicLink()) {
      throw new PkiError('UNSAFE_PATH', 'is a symbolic link; etcd-pki does not write through links', {
        file: path,
        hint: 'remove the link, or choose another -bare name',
      });
    }
    if (!found.isFile()) {
      throw new PkiError('IO', 'exists and is not a regular file', { file: path, hint: 'move it away, or choose another -bare name' });
    }
    if (name.endsWith('-key.pem') && writes.key && !options.force) {
      throw new PkiError('FILE_EXISTS', 'refusing to overwrite an existing private key', {
        file: path,
        hint: 'move it away first, or pass --force to replace it (the old key is then lost)',
      });
    }
  }
}

/** lstat(2) of `path`; undefined when it cannot be read (writeFileSet reports why, if it matters). */
function lstatOrAbsent(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The files a command read, by flag, that its -bare output must never write over (-ca, the request). */
export type RunInputs = ReadonlyArray<{ readonly path: string | undefined; readonly flag: string }>;

/**
 * Prints cfssl's one-line JSON (keys cert, csr, key, as cfssl prints them) or, with -bare/--out,
 * writes the files cfssljson would write, atomically: without --force, never over one of the
 * run's `inputs`, and a certificate issued without a new key never over an existing one.
 */
export async function emitIssued(context: CliContext, issued: IssuedPem, options: OutputOptions, inputs: RunInputs = []): Promise<void> {
  const fields = {
    ...(issued.cert !== undefined ? { cert: issued.cert } : {}),
    ...(issued.csr !== undefined ? { csr: issued.csr } : {}),
    ...(issued.key !== undefined ? { key: issued.key } : {}),
  };
  const target = options.bare ?? options.out;
  if (context.signal?.aborted) throw new PkiError('INTERRUPTED', 'interrupted; nothing was printed or written');
  if (target === undefined) {
    context.output.stdout(goJson(fields) + '\n');
    return;
  }
  const { cfssljsonFiles } = await import('../io/cfssljson-names.js');
  const { writeFileSet } = await import('../io/write-files.js');
  const { dir, base } = await bareTarget(target, { dir: options.dir });
  const files = cfssljsonFiles(base, fields);
  const report = await writeFileSet(
    dir,
    { files },
    {
      lock: bareWriteLock(dir, base, files),
      removeStaleTemps: { olderThanMs: STALE_TEMP_MS },
      force: options.force ?? false,
      inFlight: context.inFlight,
      signal: context.signal,
      keepUnlessForced: await certificatesForOtherKeys(dir, files),
      inputs: inputs.flatMap(({ path, flag }) => (path === undefined ? [] : [{ path, flag }])),
    },
  );
  if (!context.quiet) {
    for (const path of report.written) context.output.stderr(`wrote ${join(dir, path)}\n`);
  }
}

type WrittenFile = { readonly path: string; readonly contents: string | Uint8Array; readonly secret?: boolean };

/**
 * The certificates among `files`, written without a key, that would replace an existing
 * certificate of another public key: that one belongs to the key beside it, which the new one
 * would no longer match (cfssljson replaces it; etcd-pki asks for --force). A certificate for the
 * same key (signing the same request again to renew) replaces the old one freely.
 */
export async function certificatesForOtherKeys(dir: string, files: readonly WrittenFile[]): Promise<string[]> {
  if (files.some((file) => file.secret)) return [];
  const { parseCertificate } = await import('../x509/parse.js');
  const { INPUT_LIMITS, readInput } = await import('../io/input.js');
  const spki = (data: string | Uint8Array) => {
    try {
      return Buffer.from(parseCertificate(data).subjectPublicKeyInfo);
    } catch {
      return undefined;
    }
  };
  const kept: string[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.pem')) continue;
    const target = join(dir, file.path);
    const found = lstatOrAbsent(target);
    if (!found?.isFile()) continue;
    const old =
      found.size <= INPUT_LIMITS.certificate.bytes
        ? await readInput(target, () => Promise.resolve(new Uint8Array()), 'certificate').then(spki, () => undefined)
        : undefined;
    const now = spki(file.contents);
    if (!old || !now || !old.equals(now)) kept.push(file.path);
  }
  return kept;
}

/**
 * The lock a -bare write holds (see WriteFileSetOptions.lock): one per base name, not the
 * directory's, so that runs writing other names there go on in parallel.
 */
export function bareWriteLock(dir: string, base: string, files: readonly { readonly path: string }[]): LockOptions {
  return { file: `.${base}.etcd-pki.lock`, writing: files.map((f) => join(dir, f.path)).join(', ') };
}

/**
 * Says on stderr when `issued` ends after the CA that signed it. cfssl 1.6.5 (signer/local) issues
 * the profile's expiry as asked, past the CA's notAfter, without a word; etcd-pki issues the same
 * certificate and says that it stops verifying when the CA expires.
 */
export async function warnIfOutlivesCa(context: CliContext, issued: IssuedPem, ca: CertificateAuthority): Promise<void> {
  if (issued.cert === undefined) return;
  const [{ parseCertificate }, { rfc3339 }] = await Promise.all([import('../x509/parse.js'), import('../x509/time.js')]);
  const notAfter = parseCertificate(issued.cert).notAfter;
  if (notAfter.getTime() <= ca.certificate.notAfter.getTime()) return;
  context.output.stderr(
    `etcd-pki: warning: the certificate is valid until ${rfc3339(notAfter)}, after its CA expires (${rfc3339(ca.certificate.notAfter)}): it stops verifying then (cfssl issues it the same, silently); give a shorter expiry in the profile, or renew the CA first\n`,
  );
}
