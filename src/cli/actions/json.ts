import { PkiError } from '../../errors.js';
import { cfssljsonFiles } from '../../io/cfssljson-names.js';
import { inputName, readTextInput } from '../../io/input.js';
import { writeFileSet } from '../../io/write-files.js';
import { parseJsonStrict } from '../../json.js';
import { readPrivateKey } from '../../keys/read.js';
import { PEM_LABELS, decodePemBlocks, looksLikePem } from '../../pem/pem.js';
import { parseCertificate, parseCertificateBundle, publicKeyMatches } from '../../x509/parse.js';
import { parseCertificationRequest } from '../../x509/request.js';
import { STALE_TEMP_MS, bareTarget, bareWriteLock, certificatesForOtherKeys } from '../bare-output.js';
import type { JsonOptions } from '../commands/json.js';
import type { CliContext } from '../context.js';
import { warnings } from '../warnings.js';

type Field = 'cert' | 'csr' | 'key' | 'bundle';
type Fields = Record<Field, string | undefined>;

/** `json [BASENAME]`: what cfssljson does, so the pipe needs no second binary. */
export async function run(context: CliContext, basenameArg: string | undefined, options: JsonOptions): Promise<void> {
  const target = options.stdout ? undefined : bareTarget(basenameArg ?? 'cert', { dir: options.dir, allowPath: true });
  const file = inputName(options.f ?? '-');
  const text = await readTextInput(options.f ?? '-', context.stdin, 'cfsslJson');
  const { fields, at } = unwrap(parseJsonStrict(text, file, { duplicateKeys: warnings(context) }), options.bare ?? false, file);
  checkFields(fields, file, at);
  if (options.stdout) {
    // cfssljson -stdout: each object and a newline, in the order it would write the files.
    for (const key of ['cert', 'key', 'csr', 'bundle'] as const) if (fields[key]) context.output.stdout(`${fields[key]}\n`);
    return;
  }
  const { dir, base: basename } = target!;
  const files = cfssljsonFiles(basename, fields);
  if (files.length === 0) {
    throw new PkiError('INVALID_JSON', 'the input holds no certificate, request or key', {
      file,
      hint: 'pipe the output of gencert, sign, genkey or selfsign into it',
    });
  }
  await writeFileSet(
    dir,
    { files },
    {
      lock: bareWriteLock(dir, basename, files),
      removeStaleTemps: { olderThanMs: STALE_TEMP_MS },
      force: options.force ?? false,
      inFlight: context.inFlight,
      signal: context.signal,
      keepUnlessForced: await certificatesForOtherKeys(options.dir ?? '.', files),
      ...(options.f !== undefined ? { inputs: [{ path: options.f, flag: '-f' }] } : {}),
    },
  );
}

/** cfssl's bare output, or the `result` of an API response; `at` is the JSON pointer of the fields. */
function unwrap(parsed: unknown, bare: boolean, file: string): { fields: Fields; at: string } {
  const notObject = (path: string) =>
    new PkiError('INVALID_JSON', 'expected a JSON object with "cert", "csr" or "key"', {
      file,
      path,
      hint: 'pipe the output of gencert, sign, genkey or selfsign into it',
    });
  if (!isObject(parsed)) throw notObject('');
  let body = parsed;
  let at = '';
  if (!bare) {
    if (parsed.success === false) {
      const errors = JSON.stringify(parsed.errors ?? []);
      throw new PkiError('INVALID_JSON', `the API response reports failure: ${errors}`, {
        file,
        path: '/success',
        hint: 'fix what the command before the pipe reported',
      });
    }
    if (parsed.result !== undefined) {
      if (!isObject(parsed.result)) throw notObject('/result');
      body = parsed.result;
      at = '/result';
    }
  }
  const text = (field: Field) => {
    const key = field in body || !ALIASES[field] ? field : ALIASES[field]!;
    const value = body[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    if (field === 'bundle' && isObject(value) && typeof value.bundle === 'string') return value.bundle;
    throw new PkiError('INVALID_JSON', `"${key}" must be a string of PEM text, not ${Array.isArray(value) ? 'an array' : typeof value}`, {
      file,
      path: `${at}/${key}`,
      hint: 'pipe the output of gencert, sign, genkey or selfsign into it unchanged',
    });
  };
  return { fields: { cert: text('cert'), csr: text('csr'), key: text('key'), bundle: text('bundle') }, at };
}

// cfssljson also takes the API's long names, when the short one is absent.
const ALIASES: Partial<Record<Field, string>> = { cert: 'certificate', csr: 'certificate_request', key: 'private_key' };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Parses every PEM field before anything is written, so a truncated or mislabelled key is never
 * saved as if it were one, and refuses a key that does not belong to the certificate.
 * @throws PkiError naming the input and the field's JSON path.
 */
function checkFields(fields: Fields, file: string, at: string): void {
  const located = <T>(key: Field, parse: () => T): T => {
    try {
      if (!looksLikePem(fields[key]!)) {
        throw new PkiError('INVALID_PEM', 'is not PEM text', {
          hint: 'pipe the output of gencert, sign, genkey or selfsign into it unchanged',
        });
      }
      return parse();
    } catch (error) {
      if (!(error instanceof PkiError)) throw error;
      throw new PkiError(error.code, error.message, { file, path: `${at}/${key}`, hint: error.hint, cause: error.cause });
    }
  };
  const certificate = fields.cert === undefined ? undefined : located('cert', () => parseCertificate(fields.cert!));
  if (fields.csr !== undefined) located('csr', () => parseCertificationRequest(fields.csr!));
  if (fields.bundle !== undefined) located('bundle', () => parseCertificateBundle(fields.bundle!));
  if (fields.key === undefined) return;
  const key = located('key', () => {
    // An encrypted key is written as it came (cfssljson does); its armour must still be whole.
    const blocks = decodePemBlocks(fields.key!);
    const [block] = blocks;
    if (blocks.length === 1 && (block!.label === PEM_LABELS.encryptedPrivateKey || /ENCRYPTED/.test(block!.headers['Proc-Type'] ?? ''))) {
      return undefined;
    }
    return readPrivateKey(fields.key!);
  });
  if (certificate && key && !publicKeyMatches(certificate, key.publicKey)) {
    throw new PkiError('KEY_MISMATCH', 'the key does not belong to the certificate', {
      file,
      path: `${at}/key`,
      hint: 'pipe the output of one gencert, genkey or selfsign run, unchanged',
    });
  }
}
