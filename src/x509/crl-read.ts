import { PkiError } from '../errors.js';
import { signatureAlgorithmByOid, type SignatureAlgorithm } from '../keys/algorithms.js';
import { verifyBytes } from '../keys/sign.js';
import { PEM_LABELS, decodeSinglePem, encodePem, looksLikePem, type Der, type Pem } from '../pem/pem.js';
import { REVOCATION_REASONS, type RevocationReason } from './crl.js';
import {
  bitStringOctets,
  childrenOf,
  encodingOf,
  expectAt,
  integerBytes,
  objectIdentifierText,
  smallInteger,
  valueOf,
  wholeElement,
  type Element,
} from '../asn1/der-read.js';
import { readName } from './name.js';
import { OID } from '../asn1/oids.js';
import type { ParsedCertificate } from './parse.js';
import { readExtensionRecords } from './read-extensions.js';
import { readTime } from './time.js';

/** One revoked certificate, as read. */
export interface ParsedRevokedEntry {
  /** Minimal DER INTEGER contents. */
  readonly serial: Uint8Array;
  readonly revokedAt: Date;
  /** The reasonCode entry extension's name; undefined when absent (unspecified) or unknown. */
  readonly reason: RevocationReason | undefined;
}

/** A CRL parsed once, with the fields etcd-pki reads. */
export interface ParsedCrl {
  readonly der: Der;
  readonly pem: Pem;
  readonly tbs: Uint8Array;
  readonly signature: Uint8Array;
  readonly signatureAlgorithmOid: string;
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
  /** 1 (v1, no version field) or 2. */
  readonly version: number;
  /** DER Name, byte for byte. */
  readonly issuer: Uint8Array;
  readonly thisUpdate: Date;
  /** Undefined when the CRL has none (RFC 5280 requires one; Go writes it always). */
  readonly nextUpdate: Date | undefined;
  readonly revoked: readonly ParsedRevokedEntry[];
  readonly authorityKeyId: Uint8Array | undefined;
  readonly crlNumber: bigint | undefined;
}

const TAG = { integer: 0x02, sequence: 0x30, utcTime: 0x17, generalizedTime: 0x18, extensions: 0xa0, enumerated: 0x0a } as const;
const REASON_NAMES = new Map<number, RevocationReason>(
  Object.entries(REVOCATION_REASONS).map(([name, code]) => [code, name as RevocationReason]),
);

/**
 * Parses one CRL from PEM ("X509 CRL") or DER, checking that it is DER and fills its structure
 * (RFC 5280 5.1). Neither the signature nor the dates are judged here: see crlIssuedBy.
 * @throws PkiError INVALID_PEM / INVALID_CRL naming `file`.
 */
export function parseCrl(data: Uint8Array | string, file?: string): ParsedCrl {
  let der: Der;
  if (looksLikePem(data)) {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    der = decodeSinglePem(text, [PEM_LABELS.crl], { file, what: 'certificate revocation list' }).der;
  } else {
    der = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'latin1')) : data;
  }
  try {
    return { der, pem: encodePem(PEM_LABELS.crl, der), ...readCrl(der) };
  } catch (cause) {
    throw new PkiError('INVALID_CRL', 'the CRL could not be parsed (corrupted or not a CRL?)', {
      file,
      hint: 'give a certificate revocation list in PEM (a "BEGIN X509 CRL" block) or DER, as etcd-pki revoke or cfssl gencrl writes it',
      cause,
    });
  }
}

/**
 * CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
 * TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer, thisUpdate Time,
 *   nextUpdate Time OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE { userCertificate,
 *   revocationDate, crlEntryExtensions OPTIONAL } OPTIONAL, crlExtensions [0] EXPLICIT OPTIONAL }
 */
function readCrl(der: Uint8Array) {
  const list = wholeElement(der, TAG.sequence);
  const [tbs, algorithm, signature, extra] = childrenOf(der, list);
  if (!tbs || !algorithm || !signature || extra || tbs.tag !== TAG.sequence || algorithm.tag !== TAG.sequence) {
    throw new RangeError('a CertificateList has three parts');
  }
  const parts = childrenOf(der, tbs);
  let at = 0;
  let version = 1;
  if (parts[0]?.tag === TAG.integer) {
    version = smallInteger(der, parts[at++]!) + 1;
    if (version !== 2) throw new RangeError('unknown CRL version');
  }
  const next = (tag?: number): Element => {
    const part = parts[at++];
    if (!part || (tag !== undefined && part.tag !== tag)) throw new RangeError('malformed TBSCertList');
    return part;
  };
  const innerAlgorithm = next(TAG.sequence);
  if (Buffer.compare(encodingOf(der, innerAlgorithm), encodingOf(der, algorithm)) !== 0) {
    throw new RangeError('the TBSCertList and the CertificateList name different signature algorithms');
  }
  const issuer = encodingOf(der, next(TAG.sequence));
  readName(issuer);
  const thisUpdate = readTime(der, next());
  let nextUpdate: Date | undefined;
  if (parts[at]?.tag === TAG.utcTime || parts[at]?.tag === TAG.generalizedTime) nextUpdate = readTime(der, next());
  const revoked: ParsedRevokedEntry[] = [];
  if (parts[at]?.tag === TAG.sequence) {
    for (const entry of childrenOf(der, next())) revoked.push(readEntry(der, entry));
  }
  let authorityKeyId: Uint8Array | undefined;
  let crlNumber: bigint | undefined;
  if (parts[at]?.tag === TAG.extensions) {
    const wrapper = childrenOf(der, next());
    if (wrapper.length !== 1) throw new RangeError('malformed crlExtensions');
    for (const record of readExtensionRecords(der, wrapper[0]!)) {
      if (record.oid === OID.authorityKeyIdentifier) {
        const aki = wholeElement(record.value, TAG.sequence);
        const keyId = childrenOf(record.value, aki).find((child) => child.tag === 0x80);
        if (keyId) authorityKeyId = valueOf(record.value, keyId).slice();
      } else if (record.oid === OID.cRLNumber) {
        crlNumber = BigInt(`0x${Buffer.from(integerBytes(record.value, wholeElement(record.value, TAG.integer))).toString('hex')}`);
      } else if (record.critical) {
        // RFC 5280 5.2: a CRL with an unrecognised critical extension must not be used.
        throw new RangeError(`unknown critical CRL extension ${record.oid}`);
      }
    }
  }
  if (at !== parts.length) throw new RangeError('unexpected fields in TBSCertList');
  const [algorithmId] = childrenOf(der, algorithm);
  if (!algorithmId) throw new RangeError('empty AlgorithmIdentifier');
  const signatureAlgorithmOid = objectIdentifierText(der, algorithmId);
  return {
    tbs: encodingOf(der, tbs).slice(),
    signature: bitStringOctets(der, signature).slice(),
    signatureAlgorithmOid,
    signatureAlgorithm: signatureAlgorithmByOid(signatureAlgorithmOid),
    version,
    issuer: issuer.slice(),
    thisUpdate,
    nextUpdate,
    revoked,
    authorityKeyId,
    crlNumber,
  };
}

function readEntry(der: Uint8Array, entry: Element): ParsedRevokedEntry {
  const [serial, date, extensions, extra] = childrenOf(der, entry);
  if (entry.tag !== TAG.sequence || !serial || !date || extra) throw new RangeError('malformed revoked certificate entry');
  let reason: RevocationReason | undefined;
  if (extensions) {
    for (const record of readExtensionRecords(der, extensions)) {
      if (record.oid !== OID.cRLReasons) continue;
      const code = expectAt(record.value, 0, record.value.length, TAG.enumerated);
      reason = REASON_NAMES.get(record.value[code.start] ?? -1);
    }
  }
  return { serial: integerBytes(der, serial).slice(), revokedAt: readTime(der, date), reason };
}

/**
 * True when `ca` issued `crl`: the CRL's issuer is the CA's subject, byte for byte, and the CA's
 * key verifies its signature. etcd checks neither (it compares serials only, measured on 3.4), so
 * doctor does.
 */
export async function crlIssuedBy(crl: ParsedCrl, ca: ParsedCertificate): Promise<boolean> {
  if (!crl.signatureAlgorithm || Buffer.compare(crl.issuer, ca.subject) !== 0) return false;
  return verifyBytes(ca.publicKey, crl.signatureAlgorithm, crl.tbs, crl.signature);
}

/** True when `serial` (minimal DER INTEGER contents) is listed in `crl`. */
export function crlRevokes(crl: ParsedCrl, serial: Uint8Array): boolean {
  return crl.revoked.some((entry) => Buffer.compare(entry.serial, serial) === 0);
}
