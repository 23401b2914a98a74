import type { OpensslText } from './openssl.js';
import { serialDerLength } from './issued.js';

/**
 * A certificate as openssl shows it, with what differs between two issuances of the same input
 * masked: serial, key material, key ids, signature and absolute times. What stays is compared
 * field by field: version, algorithms, names, key type and size, validity length and minute
 * alignment, and every extension with its criticality and value, in order.
 */
export function masked(text: OpensslText) {
  return {
    version: text.version,
    serialSize: serialDerLength(text.serialHex) <= 20 && !text.serialNegative ? 'positive, at most 20 bytes' : `bad: ${text.serialHex}`,
    signatureAlgorithm: text.signatureAlgorithm,
    issuer: text.issuer,
    subject: text.subject,
    publicKey: text.publicKey,
    validityMs: text.notAfter.getTime() - text.notBefore.getTime(),
    notBeforeOnTheMinute: text.notBefore.getUTCSeconds() === 0,
    extensions: text.extensions.map((e) => ({
      name: e.name,
      critical: e.critical,
      value: /Key Identifier/.test(e.name) ? '<key id>' : e.value,
    })),
  };
}
