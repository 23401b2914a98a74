import { createPublicKey, type KeyObject } from 'node:crypto';
import { PkiError } from '../errors.js';
import { signatureAlgorithmByOid, type SignatureAlgorithm } from '../keys/algorithms.js';
import { verifyBytes } from '../keys/sign.js';
import { PEM_LABELS, decodePemBlocks, decodeSinglePem, encodePem, looksLikePem, type Der, type Pem } from '../pem/pem.js';
import { readExtensionRecords, readExtensions, type ExtensionSummary } from './read-extensions.js';
import {
  bitStringOctets,
  childrenOf,
  encodingOf,
  expectAt,
  integerBytes,
  objectIdentifierText,
  smallInteger,
  wholeElement,
  type Element,
} from '../asn1/der-read.js';
import { readName } from './name.js';
import { readTime } from './time.js';
import { EMPTY_SANS, type SubjectAltNames } from './hosts.js';

/** A certificate parsed once, with the fields etcd-pki reads. */
export interface ParsedCertificate {
  readonly der: Der;
  readonly pem: Pem;
  /** The TBSCertificate, tag to end: what the signature covers. */
  readonly tbs: Uint8Array;
  /** The signature's bytes (the BIT STRING without its unused-bits octet). */
  readonly signature: Uint8Array;
  /** The signature algorithm's OID, also when etcd-pki does not know the algorithm. */
  readonly signatureAlgorithmOid: string;
  /** Minimal DER INTEGER contents of the serial. */
  readonly serial: Uint8Array;
  /** DER of the subject and issuer Names, byte for byte. */
  readonly subject: Uint8Array;
  readonly issuer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly subjectPublicKeyInfo: Der;
  readonly signatureAlgorithm: SignatureAlgorithm | undefined;
  readonly extensions: ExtensionSummary;
  readonly sans: SubjectAltNames;
  readonly isCA: boolean;
}

/**
 * Parses one certificate from PEM or DER.
 * @throws PkiError INVALID_PEM / INVALID_CERTIFICATE naming `file`.
 */
export function parseCertificate(data: Uint8Array | string, file?: string): ParsedCertificate {
  let der: Der;
  if (looksLikePem(data)) {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    der = decodeSinglePem(text, [PEM_LABELS.certificate], { file, what: 'certificate' }).der;
  } else {
    der = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'latin1')) : data;
  }
  return parseCertificateDer(der, file);
}

/** Every certificate in a PEM bundle (a trust bundle may hold several CAs). */
export function parseCertificateBundle(text: string, file?: string): ParsedCertificate[] {
  const blocks = decodePemBlocks(text, file).filter((b) => b.label === PEM_LABELS.certificate);
  if (blocks.length === 0) {
    throw new PkiError('INVALID_PEM', 'no certificate found', { file, hint: 'expected "-----BEGIN CERTIFICATE-----"' });
  }
  return blocks.map((block) => parseCertificateDer(block.der, file));
}

function parseCertificateDer(der: Der, file: string | undefined): ParsedCertificate {
  try {
    const { extensions: records, ...fields } = readCertificate(der);
    const spki = fields.subjectPublicKeyInfo;
    const extensions = readExtensions(records);
    return {
      der,
      pem: encodePem(PEM_LABELS.certificate, der),
      ...fields,
      publicKey: createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' }),
      signatureAlgorithm: signatureAlgorithmByOid(fields.signatureAlgorithmOid),
      extensions,
      sans: extensions.sans ?? EMPTY_SANS,
      isCA: extensions.basicConstraints?.isCA ?? false,
    };
  } catch (cause) {
    throw new PkiError('INVALID_CERTIFICATE', 'the certificate could not be parsed (corrupted or not X.509?)', {
      file,
      hint: 'give a certificate in PEM (a "BEGIN CERTIFICATE" block) or DER',
      cause,
    });
  }
}

const TAG = {
  integer: 0x02,
  sequence: 0x30,
  version: 0xa0,
  issuerUniqueId: 0x81,
  subjectUniqueId: 0x82,
  extensions: 0xa3,
} as const;

/**
 * The fields of a DER certificate (RFC 5280 4.1), each checked to be DER and to fill its parent:
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber, signature,
 *     issuer, validity, subject, subjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT OPTIONAL,
 *     subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT OPTIONAL }
 * @throws RangeError when it is not.
 */
function readCertificate(der: Uint8Array) {
  const certificate = wholeElement(der, TAG.sequence);
  const [tbs, algorithm, signature, extra] = childrenOf(der, certificate);
  if (!tbs || !algorithm || !signature || extra) throw new RangeError('a Certificate has three parts');
  if (tbs.tag !== TAG.sequence) throw new RangeError('TBSCertificate is not a SEQUENCE');
  const parts = childrenOf(der, tbs);
  let at = 0;
  const next = (tag?: number): Element => {
    const part = parts[at++];
    if (!part || (tag !== undefined && part.tag !== tag)) throw new RangeError('malformed TBSCertificate');
    return part;
  };
  if (parts[0]?.tag === TAG.version) {
    const version = next();
    if (smallInteger(der, expectAt(der, version.start, version.end, TAG.integer)) > 2 || childrenOf(der, version).length !== 1) {
      throw new RangeError('unknown certificate version');
    }
  }
  const serial = integerBytes(der, next(TAG.integer));
  const innerAlgorithm = next(TAG.sequence);
  const issuer = encodingOf(der, next(TAG.sequence));
  const validity = childrenOf(der, next(TAG.sequence));
  if (validity.length !== 2) throw new RangeError('Validity has two times');
  const subject = encodingOf(der, next(TAG.sequence));
  const subjectPublicKeyInfo = encodingOf(der, next(TAG.sequence));
  if (parts[at]?.tag === TAG.issuerUniqueId) at++;
  if (parts[at]?.tag === TAG.subjectUniqueId) at++;
  let extensions: ReturnType<typeof readExtensionRecords> = [];
  if (parts[at]?.tag === TAG.extensions) {
    const wrapper = next();
    const list = childrenOf(der, wrapper);
    if (list.length !== 1) throw new RangeError('malformed extensions');
    extensions = readExtensionRecords(der, list[0]!);
  }
  if (at !== parts.length) throw new RangeError('unexpected fields in TBSCertificate');
  if (algorithm.tag !== TAG.sequence) throw new RangeError('signatureAlgorithm is not a SEQUENCE');
  // RFC 5280 4.1.1.2: the same AlgorithmIdentifier inside and outside what is signed.
  if (Buffer.compare(encodingOf(der, innerAlgorithm), encodingOf(der, algorithm)) !== 0) {
    throw new RangeError('the TBSCertificate and the Certificate name different signature algorithms');
  }
  const [algorithmId] = childrenOf(der, algorithm);
  if (!algorithmId) throw new RangeError('empty AlgorithmIdentifier');
  // Names are only copied here; reading them proves they are DER Names.
  readName(issuer);
  readName(subject);
  return {
    serial: serial.slice(),
    issuer: issuer.slice(),
    subject: subject.slice(),
    notBefore: readTime(der, validity[0]!),
    notAfter: readTime(der, validity[1]!),
    subjectPublicKeyInfo: subjectPublicKeyInfo.slice(),
    tbs: encodingOf(der, tbs).slice(),
    signature: bitStringOctets(der, signature).slice(),
    signatureAlgorithmOid: objectIdentifierText(der, algorithmId),
    extensions,
  };
}

/** True when `issuer`'s key signed `subject`. */
export async function isSignedBy(subject: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> {
  if (!subject.signatureAlgorithm) return false;
  return verifyBytes(issuer.publicKey, subject.signatureAlgorithm, subject.tbs, subject.signature);
}

/** True when the key pair's public half is the certificate's key. */
export function publicKeyMatches(certificate: ParsedCertificate, publicKey: KeyObject): boolean {
  return Buffer.from(certificate.subjectPublicKeyInfo).equals(publicKey.export({ type: 'spki', format: 'der' }));
}
