import { PkiError } from '../errors.js';
import type { Der } from '../pem/pem.js';
import { signCrl } from '../x509/crl.js';
import { minimalPositiveInteger } from '../x509/serial.js';
import type { CertificateAuthority } from './authority.js';

/** cfssl gencrl's default validity: one week, in seconds. */
export const GENCRL_DEFAULT_SECONDS = 7 * 24 * 3600;

export interface GenerateCrlOptions {
  /** cfssl's INPUTFILE: one decimal serial a line. */
  readonly serials: string;
  /** Its name, for messages. */
  readonly file?: string | undefined;
  readonly ca: CertificateAuthority;
  /** cfssl's TIME: seconds from now to nextUpdate; default one week. */
  readonly expirySeconds?: number | undefined;
  /** thisUpdate and every revocation date; default now. */
  readonly now?: Date;
}

/**
 * cfssl gencrl: a CRL listing `serials`, revoked now, signed by `ca`, valid `expirySeconds`.
 * Same output as cfssl 1.6.5 for the same input (v2, the CA's subject as issuer, AKI from its
 * SKI, no CRL number, no reasons), except where cfssl's is broken (see the refusals in docs):
 * a line that is not a decimal serial is refused, where cfssl revokes serial 0 in its place, and
 * blank lines and spaces around a serial are skipped.
 * @throws PkiError INVALID_REQUEST naming the file and line.
 */
export async function generateCrl(options: GenerateCrlOptions): Promise<Der> {
  const now = options.now ?? new Date();
  const seconds = options.expirySeconds ?? GENCRL_DEFAULT_SECONDS;
  const revoked = parseSerialLines(options.serials, options.file).map((serial) => ({ serial, revokedAt: now }));
  return signCrl(
    {
      issuer: options.ca.certificate.subject,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + seconds * 1000),
      revoked,
      authorityKeyId: options.ca.certificate.extensions.subjectKeyId,
    },
    options.ca.key,
  );
}

/**
 * The serials of cfssl's INPUTFILE, as minimal DER INTEGER contents, in their order.
 * @throws PkiError INVALID_REQUEST for a line that is not a decimal serial.
 */
export function parseSerialLines(text: string, file?: string): Uint8Array[] {
  const serials: Uint8Array[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if (!/^\d{1,49}$/.test(line)) {
      throw new PkiError('INVALID_REQUEST', `line ${index + 1} is not a decimal serial number: ${JSON.stringify(line.slice(0, 60))}`, {
        file,
        hint: 'write one serial a line in decimal, as cfssl certinfo prints it (openssl prints hex: convert it); cfssl would revoke serial 0 instead',
      });
    }
    let hex = BigInt(line).toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    serials.push(minimalPositiveInteger(Buffer.from(hex, 'hex')));
  });
  return serials;
}

/**
 * cfssl's TIME argument: whole seconds, positive.
 * @throws PkiError USAGE otherwise (cfssl writes a CRL whose nextUpdate precedes thisUpdate for a negative one).
 */
export function parseCrlSeconds(text: string): number {
  const seconds = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0 && seconds <= 2 ** 31 - 1)) {
    throw new PkiError('USAGE', `the CRL's expiry must be a positive number of seconds, not ${JSON.stringify(text)}`, {
      hint: 'for example 604800 (one week, the default)',
    });
  }
  return seconds;
}
