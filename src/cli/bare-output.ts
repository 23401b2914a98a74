import { lstatSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { PkiError } from '../errors.js';
import { INPUT_LIMITS, readInput } from '../io/input.js';
import { cfssljsonFiles } from '../io/cfssljson-names.js';
import type { LockOptions } from '../io/lock.js';
import { assertPlainName } from '../io/safe-path.js';
import { assertWritableDirectory, writeFileSet } from '../io/write-files.js';
import type { CertificateAuthority } from '../signing/authority.js';
import type { IssuedPem } from '../signing/operations.js';
import { parseCertificate } from '../x509/parse.js';
import { rfc3339 } from '../x509/time.js';
import type { CliContext } from './context.js';
import type { OutputOptions } from './issuing-options.js';
import { goJson } from './output.js';

/**
 * Temp files older than this in an output directory are left by a run that was killed: -bare
 * writes lock only their own base name, not the directory, so only temp files that no live run
 * can still be writing are removed.
 */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Where BASE.pem goes. `json -bare certs/etcd1` or `/abs/etcd1` (`allowPath`): cfssljson writes
 * wherever BASE points; the directory part joins `-dir`, the last part must be a plain name.
 * The issuing commands' own `-bare NAME` takes a plain name, the directory coming from `-dir`.
 */
export function bareTarget(
  base: string,
  options: { readonly dir: string | undefined; readonly allowPath?: boolean },
): { dir: string; base: string } {
  const { dir, allowPath = false } = options;
  const what = allowPath ? 'base name' : '-bare name';
  // The whole value first: empty, control characters (a NUL byte), a trailing separator.
  if (!allowPath || base === '' || /[\x00-\x1f\x7f]/.test(base) || base.endsWith('/')) assertPlainName(base, what);
  const name = basename(base);
  assertPlainName(name, what);
  const parent = dirname(base);
  if (parent === '.') return { dir: dir ?? '.', base: name };
  return { dir: isAbsolute(parent) ? parent : join(dir ?? '.', parent), base: name };
}

/**
 * Before any key is generated for `-bare`: the base name is plain, the directory usable, none
 * of the files would be written through a symbolic link, and no key would be replaced without
 * --force. writeFileSet checks all this again when it writes; this reports it before the work.
 */
export async function preflightBare(context: CliContext, options: OutputOptions, writes: { key: boolean }): Promise<void> {
  const target = options.bare ?? options.out;
  if (target === undefined) return;
  const { dir, base } = bareTarget(target, { dir: options.dir });
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
  const { dir, base } = bareTarget(target, { dir: options.dir });
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
export function warnIfOutlivesCa(context: CliContext, issued: IssuedPem, ca: CertificateAuthority): void {
  if (issued.cert === undefined) return;
  const notAfter = parseCertificate(issued.cert).notAfter;
  if (notAfter.getTime() <= ca.certificate.notAfter.getTime()) return;
  context.output.stderr(
    `etcd-pki: warning: the certificate is valid until ${rfc3339(notAfter)}, after its CA expires (${rfc3339(ca.certificate.notAfter)}): it stops verifying then (cfssl issues it the same, silently); give a shorter expiry in the profile, or renew the CA first\n`,
  );
}
