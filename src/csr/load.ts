import { parseGoDuration } from '../duration.js';
import { PkiError, jsonPointer } from '../errors.js';
import { DEFAULT_KEY_SPEC, ECDSA_CURVES, RSA_MAX_BITS, RSA_MIN_BITS, type EcdsaSize, type KeySpec } from '../keys/algorithms.js';
import { classifyHosts } from '../x509/hosts.js';
import type { SubjectName } from '../x509/name.js';
import { parseAndValidate } from '../validate.js';
import type { CaRequest, CertificateRequestSpec, CsrJson, NameJson } from './types.js';
import { checkSubjectText } from './subject-rules.js';

export interface LoadRequestOptions {
  /** The file name used in error messages. */
  file?: string | undefined;
}

/**
 * Reads a cfssl CSR JSON file: strict JSON, the schema, then the rules (key algorithm and size,
 * hosts, CA settings), each error naming the file, JSON path and fix.
 * @throws PkiError
 */
export function loadCertificateRequest(text: string, options: LoadRequestOptions = {}): CertificateRequestSpec {
  const json = parseAndValidate('csr', text, options.file) as CsrJson;
  return normaliseCertificateRequest(json, options.file);
}

/** Turns schema-valid CSR JSON into a request spec, applying the rules. */
export function normaliseCertificateRequest(json: CsrJson, file?: string): CertificateRequestSpec {
  const hosts = json.hosts ?? [];
  checkSubjectText(json, file);
  const subject = subjectOf(json);
  if (!subject.commonName && (json.names ?? []).length === 0 && hosts.length === 0) {
    throw new PkiError('INVALID_REQUEST', 'the request names nothing: no CN, names or hosts', {
      file,
      path: '',
      hint: 'add at least "CN"',
    });
  }
  return {
    subject,
    hosts,
    sans: classifyHosts(hosts, { file, path: '/hosts' }),
    key: keySpecOf(json.key, file),
    ...(json.ca ? { ca: caRequestOf(json.ca, file) } : {}),
  };
}

// Each SubjectName list and the names[] key it collects, in the order the subject lists them.
const NAME_FIELDS = [
  ['country', 'C'],
  ['province', 'ST'],
  ['locality', 'L'],
  ['organization', 'O'],
  ['organizationalUnit', 'OU'],
  ['emailAddress', 'E'],
] as const satisfies ReadonlyArray<readonly [keyof SubjectName, keyof NameJson]>;

/** The subject of a CSR JSON: one pass over `names[]` (bulk issuance reads one per certificate). */
function subjectOf(json: CsrJson): SubjectName {
  const lists: string[][] = NAME_FIELDS.map(() => []);
  let firstSerialNumber: string | undefined;
  for (const name of json.names ?? []) {
    for (let i = 0; i < NAME_FIELDS.length; i++) {
      const value = name[NAME_FIELDS[i]![1]];
      if (value !== undefined && value !== '') lists[i]!.push(value);
    }
    if (firstSerialNumber === undefined && name.SerialNumber) firstSerialNumber = name.SerialNumber;
  }
  const subject: { -readonly [K in keyof SubjectName]: SubjectName[K] } = {};
  if (json.CN !== undefined && json.CN !== '') subject.commonName = json.CN;
  for (let i = 0; i < NAME_FIELDS.length; i++) subject[NAME_FIELDS[i]![0]] = lists[i]!;
  const serialNumber = json.serialnumber || firstSerialNumber;
  if (serialNumber) subject.serialNumber = serialNumber;
  return subject;
}

/**
 * The key spec of a request's `key`. Stricter than cfssl: `{"algo": "rsa"}` without a size is
 * refused with the fix instead of failing later with "RSA key is too weak".
 */
export function keySpecOf(key: CsrJson['key'], file?: string): KeySpec {
  if (key === undefined) return DEFAULT_KEY_SPEC;
  const path = jsonPointer('key', 'size');
  switch (key.algo) {
    case 'ecdsa': {
      if (key.size === undefined) {
        throw new PkiError('KEY_UNSUPPORTED', 'an ecdsa key needs a size', { file, path, hint: 'add "size": 256 (or 384, 521)' });
      }
      if (!Object.hasOwn(ECDSA_CURVES, key.size)) {
        throw new PkiError('KEY_UNSUPPORTED', `no ECDSA curve of size ${key.size}`, {
          file,
          path,
          hint: 'ecdsa sizes are 256 (P-256), 384 (P-384) and 521 (P-521)',
        });
      }
      return { algo: 'ecdsa', size: key.size as EcdsaSize };
    }
    case 'rsa': {
      if (key.size === undefined || key.size < RSA_MIN_BITS) {
        throw new PkiError(
          'KEY_TOO_WEAK',
          key.size === undefined ? 'an rsa key needs a size' : `RSA key size ${key.size} is too weak`,
          { file, path, hint: `use "size": 2048 or more (up to ${RSA_MAX_BITS})` },
        );
      }
      if (key.size > RSA_MAX_BITS) {
        throw new PkiError('KEY_UNSUPPORTED', `RSA key size ${key.size} is larger than ${RSA_MAX_BITS}`, {
          file,
          path,
          hint: `use a size from ${RSA_MIN_BITS} to ${RSA_MAX_BITS}`,
        });
      }
      return { algo: 'rsa', size: key.size };
    }
    case 'ed25519':
      if (key.size !== undefined && key.size !== 0 && key.size !== 256) {
        throw new PkiError('KEY_UNSUPPORTED', `ed25519 keys have no size ${key.size}`, { file, path, hint: 'remove "size"' });
      }
      return { algo: 'ed25519' };
  }
}

function caRequestOf(ca: NonNullable<CsrJson['ca']>, file: string | undefined): CaRequest {
  return {
    ...(ca.expiry !== undefined ? { expiry: parseGoDuration(ca.expiry, { file, path: jsonPointer('ca', 'expiry') }) } : {}),
    // cfssl: pathlen 0 without pathlenzero means "no constraint"; pathlenzero writes an explicit 0.
    ...(ca.pathlen ? { pathLen: ca.pathlen } : ca.pathlenzero ? { pathLen: 0 } : {}),
    ...(ca.backdate !== undefined
      ? { backdate: parseGoDuration(ca.backdate, { file, path: jsonPointer('ca', 'backdate'), allowZero: true }) }
      : {}),
  };
}
