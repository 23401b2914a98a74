import { PkiError, jsonPointer } from '../../errors.js';
import { inputName, readTextInput } from '../../io/input.js';
import { parseJsonStrict } from '../../json.js';
import { looksLikePem } from '../../pem/pem.js';
import { resolveProfile } from '../../profiles/resolve.js';
import { signRequest } from '../../signing/operations.js';
import type { SubjectName } from '../../x509/name.js';
import { emitIssued, preflightBare, warnIfOutlivesCa } from '../bare-output.js';
import type { SignOptions } from '../commands/sign.js';
import type { CliContext } from '../context.js';
import { readAuthority, readPem } from '../read-authority.js';
import { readPolicy, splitHosts } from '../read-request.js';
import { warnings } from '../warnings.js';

/** `sign CSR [SUBJECT]`: sign an existing PKCS#10 request. */
export async function run(context: CliContext, csrPath: string, subjectPath: string | undefined, options: SignOptions): Promise<void> {
  const hosts = splitHosts(context, options.hostname);
  const csr = await readPem(context, csrPath, 'certificate request', 'csr');
  const policy = await readPolicy(context, options.config);
  const profile = resolveProfile(policy, options.profile);
  const ca = await readAuthority(context, options);
  await preflightBare(context, options, { key: false });
  const subjectOverride = subjectPath === undefined ? undefined : await readSubject(context, subjectPath);
  const issued = await signRequest({ csr, file: inputName(csrPath), ca, profile, hosts, subjectOverride });
  // cfssl prints the request as it was read.
  const given = looksLikePem(csr) ? Buffer.from(csr).toString('utf8') : issued.csr;
  await emitIssued(context, { ...issued, csr: given }, options, [
    { path: csrPath, flag: 'the request' },
    { path: subjectPath, flag: 'the SUBJECT file' },
    { path: options.ca, flag: '-ca' },
    { path: options.caKey, flag: '-ca-key' },
    { path: options.config, flag: '-config' },
  ]);
  warnIfOutlivesCa(context, issued, ca);
}

const SUBJECT_NAME_KEYS = { C: 'country', ST: 'province', L: 'locality', O: 'organization', OU: 'organizationalUnit' } as const;

/**
 * cfssl's SUBJECT file (signer.Subject): `CN`, `names` (C, ST, L, O, OU; the rest of a CSR
 * JSON name is ignored, as cfssl ignores it) and `SerialNumber`.
 * @throws PkiError INVALID_JSON naming the file and the JSON path.
 */
async function readSubject(context: CliContext, path: string): Promise<SubjectName> {
  const file = inputName(path);
  const json = parseJsonStrict(await readTextInput(path, context.stdin, 'request'), file, { duplicateKeys: warnings(context) });
  const fail = (at: string, message: string) =>
    new PkiError('INVALID_JSON', message, {
      file,
      path: at,
      hint: 'write {"CN": "etcd1", "names": [{"O": "etcd"}], "SerialNumber": "..."}',
    });
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw fail('', 'expected a JSON object');
  const lists: Record<string, string[]> = {};
  const text = (value: unknown, at: string): string => {
    if (value === undefined) return '';
    if (typeof value !== 'string') throw fail(at, 'must be a string');
    return value;
  };
  for (const [key, value] of Object.entries(json)) {
    if (key === 'CN' || key === 'SerialNumber') text(value, jsonPointer(key));
    else if (key !== 'names') throw fail(jsonPointer(key), `unknown key ${JSON.stringify(key)}`);
  }
  const record = json as Record<string, unknown>;
  const names = record.names ?? [];
  if (!Array.isArray(names)) throw fail('/names', 'must be an array');
  names.forEach((name: unknown, index) => {
    if (name === null || typeof name !== 'object' || Array.isArray(name)) throw fail(jsonPointer('names', index), 'must be an object');
    for (const [key, field] of Object.entries(SUBJECT_NAME_KEYS)) {
      const value = text((name as Record<string, unknown>)[key], jsonPointer('names', index, key));
      if (value !== '') (lists[field] ??= []).push(value);
    }
  });
  const commonName = text(record.CN, '/CN');
  const serialNumber = text(record.SerialNumber, '/SerialNumber');
  return { ...lists, ...(commonName ? { commonName } : {}), ...(serialNumber ? { serialNumber } : {}) };
}
