import { PkiError, jsonPointer } from '../errors.js';
import type { CsrJson } from './types.js';

/** C0 and C1 control characters and DEL, and UTF-16 surrogates that are not part of a pair. */
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** X.520's upper bound for serialNumber (RFC 5280 Appendix A, ub-serial-number). */
export const MAX_SERIAL_NUMBER = 64;

/**
 * Refuses subject values cfssl writes into a certificate although they are unusable or
 * dangerous (docs/cfssl-compatibility.md, "stricter than cfssl"): control characters (a NUL
 * makes "evil.com\0.good.com" read as "evil.com" where C strings end; a newline or ESC forges
 * log lines and terminal output), a lone surrogate (not encodable as UTF-8: cfssl writes U+FFFD),
 * a country that is not two letters (X.520 countryName is ISO 3166 alpha-2) and a serialNumber
 * longer than X.520 allows.
 * @throws PkiError INVALID_REQUEST naming the JSON path.
 */
export function checkSubjectText(json: CsrJson, file: string | undefined): void {
  if (json.CN !== undefined) checkValue(json.CN, '/CN', file);
  if (json.serialnumber !== undefined) checkSerialNumber(json.serialnumber, '/serialnumber', file);
  (json.names ?? []).forEach((name, index) => {
    for (const [key, value] of Object.entries(name)) {
      if (typeof value !== 'string') continue;
      const path = jsonPointer('names', index, key);
      checkValue(value, path, file);
      if (key === 'C' && value !== '' && !/^[A-Za-z]{2}$/.test(value)) {
        throw new PkiError('INVALID_REQUEST', `country ${JSON.stringify(value)} is not a two-letter code`, {
          file,
          path,
          hint: 'X.520 takes the ISO 3166 two-letter code, e.g. "US", "DE", "GB"',
        });
      }
      if (key === 'SerialNumber') checkSerialNumber(value, path, file);
    }
  });
}

/**
 * A command-line value for the subject (`-cn`), held to the same rules.
 * @throws PkiError INVALID_REQUEST naming the flag.
 */
export function checkSubjectFlag(value: string, flag: string): void {
  checkValue(value, undefined, flag);
}

function checkValue(value: string, path: string | undefined, file: string | undefined): void {
  const bad = UNPRINTABLE.exec(value);
  if (!bad) return;
  const code = bad[0].charCodeAt(0);
  const what = code >= 0xd800 && code <= 0xdfff ? 'a lone UTF-16 surrogate' : code === 0 ? 'a NUL character' : 'a control character';
  throw new PkiError('INVALID_REQUEST', `${JSON.stringify(value)} holds ${what} (\\u${code.toString(16).padStart(4, '0')})`, {
    file,
    path,
    hint: 'remove it: certificate names are printable text, and TLS clients and logs misread control characters',
  });
}

function checkSerialNumber(value: string, path: string, file: string | undefined): void {
  if (value.length <= MAX_SERIAL_NUMBER) return;
  throw new PkiError('INVALID_REQUEST', `serialnumber is ${value.length} characters long`, {
    file,
    path,
    hint: `X.520 allows at most ${MAX_SERIAL_NUMBER}; is it the right value?`,
  });
}
