import { createPublicKey, type KeyObject } from 'node:crypto';
import { PkiError } from '../errors.js';
import { signatureAlgorithmByOid, signatureAlgorithmFor, type SignatureAlgorithm } from '../keys/algorithms.js';
import { signBytes, verifyBytes } from '../keys/sign.js';
import { subjectPublicKeyInfo } from '../keys/write.js';
import type { KeyPair } from '../keys/types.js';
import { PEM_LABELS, decodeSinglePem, looksLikePem, type Der } from '../pem/pem.js';
import { algorithmIdentifier } from './certificate.js';
import { EMPTY_SANS, type SubjectAltNames } from './hosts.js';
import { TAG, objectIdentifier, standaloneTlv, tlv, tlvOf } from '../asn1/der.js';
import { OID } from '../asn1/oids.js';
import { hasSans, subjectAltNameExtension } from './extensions/subject-alt-name.js';
import type { CertificateExtension } from './extensions/extension.js';
import { readExtensionRecords, readExtensions, type ExtensionRecord, type ExtensionSummary } from './read-extensions.js';
import { bitStringOctets, childrenOf, encodingOf, objectIdentifierText, smallInteger, wholeElement } from '../asn1/der-read.js';
import { readName } from './name.js';

export interface RequestTemplate {
  /** DER Name of the subject. */
  readonly subject: Uint8Array;
  readonly sans: SubjectAltNames;
  /** Requested after the SANs (cfssl: basicConstraints CA:TRUE in a CA's request); default none. */
  readonly extensions?: readonly CertificateExtension[] | undefined;
}

// Version v1 (0) of CertificationRequestInfo, RFC 2986 4.1.
const VERSION_V1 = Uint8Array.of(TAG.integer, 0x01, 0x00);
// The leading octet of a signature BIT STRING: no unused bits (X.690 8.6.2.2).
const NO_UNUSED_BITS = Uint8Array.of(0);

/**
 * A PKCS#10 request (RFC 2986) as cfssl writes one: version 0, the subject, the key, and an
 * extensionRequest attribute holding the SANs when there are any (an empty attributes [0]
 * otherwise, which RFC 2986 4.1 requires and Go writes).
 */
export async function createCertificationRequest(template: RequestTemplate, key: KeyPair): Promise<Der> {
  const algorithm = signatureAlgorithmFor(key.spec);
  const attributes: Uint8Array[] = [];
  const requested = template.extensions ?? [];
  if (hasSans(template.sans) || requested.length > 0) {
    // An empty Name is the two bytes of an empty SEQUENCE.
    // Go marks a request's SANs non-critical even for an empty subject (unlike a certificate's).
    const san = hasSans(template.sans) ? [subjectAltNameExtension(template.sans, false).der] : [];
    const extensions = [...san, ...requested.map((extension) => extension.der)];
    // Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF Extensions }
    attributes.push(tlv(TAG.sequence, objectIdentifier(OID.extensionRequest), tlv(TAG.set, tlv(TAG.sequence, ...extensions))));
  }
  // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, attributes [0] }
  const info = tlv(TAG.sequence, VERSION_V1, template.subject, subjectPublicKeyInfo(key), tlvOf(TAG.contextConstructed0, attributes));
  const signature = await signBytes(key.privateKey, algorithm, info);
  const algorithmId = algorithmIdentifier(algorithm);
  return standaloneTlv(TAG.sequence, info, algorithmId, tlv(TAG.bitString, NO_UNUSED_BITS, signature));
}

/** A PKCS#10 request parsed and checked. */
export interface ParsedRequest {
  readonly der: Der;
  /** The CertificationRequestInfo, tag to end: what the signature covers. */
  readonly tbs: Uint8Array;
  /** The signature's bytes (the BIT STRING without its unused-bits octet). */
  readonly signature: Uint8Array;
  /** DER of the subject Name as the requester wrote it. */
  readonly subject: Uint8Array;
  readonly publicKey: KeyObject;
  readonly subjectPublicKeyInfo: Der;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** Extensions the requester asked for (extensionRequest). */
  readonly extensions: ExtensionSummary;
  readonly sans: SubjectAltNames;
}

/**
 * Parses a PEM or DER PKCS#10 request.
 * @throws PkiError INVALID_CSR when it cannot be parsed.
 */
export function parseCertificationRequest(data: Uint8Array | string, file?: string): ParsedRequest {
  let der: Der;
  if (looksLikePem(data)) {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    der = decodeSinglePem(text, [PEM_LABELS.certificateRequest, PEM_LABELS.newCertificateRequest], {
      file,
      what: 'certificate request',
    }).der;
  } else {
    der = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'latin1')) : data;
  }
  try {
    const fields = readRequest(der);
    const spki = fields.subjectPublicKeyInfo;
    const algorithm = signatureAlgorithmByOid(fields.signatureAlgorithmOid);
    if (!algorithm) {
      throw new PkiError('INVALID_CSR', `the request is signed with unsupported algorithm ${fields.signatureAlgorithmOid}`, {
        file,
        hint: 'sign requests with ECDSA, RSA (SHA-2) or Ed25519',
      });
    }
    const extensions = readExtensions(fields.extensions);
    return {
      der,
      tbs: fields.tbs,
      signature: fields.signature,
      subject: fields.subject,
      publicKey: createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' }),
      subjectPublicKeyInfo: spki,
      signatureAlgorithm: algorithm,
      extensions,
      sans: extensions.sans ?? EMPTY_SANS,
    };
  } catch (cause) {
    if (cause instanceof PkiError) throw cause;
    throw new PkiError('INVALID_CSR', 'the certificate request could not be parsed (corrupted or not PKCS#10?)', {
      file,
      hint: 'give a request in PEM (a "BEGIN CERTIFICATE REQUEST" block) or DER, e.g. the .csr file genkey wrote',
      cause,
    });
  }
}

/**
 * Checks the request's self-signature (proof of possession of the key).
 * @throws PkiError BAD_SIGNATURE when it does not verify.
 */
export async function verifyCertificationRequest(parsed: ParsedRequest, file?: string): Promise<void> {
  const ok = await verifyBytes(parsed.publicKey, parsed.signatureAlgorithm, parsed.tbs, parsed.signature);
  if (!ok) {
    throw new PkiError('BAD_SIGNATURE', "the certificate request's signature does not verify", {
      file,
      hint: 'the request was altered or signed with another key; generate it again',
    });
  }
}

/**
 * The fields of a DER PKCS#10 request (RFC 2986 4), each checked to be DER and to fill its parent:
 *   CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
 *   CertificationRequestInfo ::= SEQUENCE { version INTEGER, subject Name, subjectPKInfo,
 *     attributes [0] IMPLICIT SET OF Attribute }
 * Only the extensionRequest attribute (RFC 2985 5.4.2) is read: SEQUENCE { type, SET OF Extensions }.
 * @throws RangeError when it is not.
 */
function readRequest(der: Uint8Array) {
  const request = wholeElement(der, TAG.sequence);
  const [info, algorithm, signature, extra] = childrenOf(der, request);
  if (!info || !algorithm || !signature || extra) throw new RangeError('a CertificationRequest has three parts');
  if (info.tag !== TAG.sequence || algorithm.tag !== TAG.sequence) throw new RangeError('malformed CertificationRequest');
  const [version, subject, spki, attributes, more] = childrenOf(der, info);
  if (!version || !subject || !spki || more) throw new RangeError('malformed CertificationRequestInfo');
  if (smallInteger(der, version) !== 0) throw new RangeError('unknown request version');
  if (subject.tag !== TAG.sequence || spki.tag !== TAG.sequence) throw new RangeError('malformed CertificationRequestInfo');
  let extensions: ExtensionRecord[] = [];
  if (attributes) {
    if (attributes.tag !== TAG.contextConstructed0) throw new RangeError('malformed request attributes');
    for (const attribute of childrenOf(der, attributes)) {
      const [type, values, rest] = attribute.tag === TAG.sequence ? childrenOf(der, attribute) : [];
      if (!type || !values || rest || values.tag !== TAG.set) throw new RangeError('malformed request attribute');
      if (objectIdentifierText(der, type) !== OID.extensionRequest) continue;
      const [first] = childrenOf(der, values);
      if (first) extensions = readExtensionRecords(der, first);
    }
  }
  const [algorithmId] = childrenOf(der, algorithm);
  if (!algorithmId) throw new RangeError('empty AlgorithmIdentifier');
  const subjectDer = encodingOf(der, subject);
  // The subject is only copied here; reading it proves it is a DER Name.
  readName(subjectDer);
  return {
    tbs: encodingOf(der, info).slice(),
    subject: subjectDer.slice(),
    subjectPublicKeyInfo: encodingOf(der, spki).slice(),
    signatureAlgorithmOid: objectIdentifierText(der, algorithmId),
    signature: bitStringOctets(der, signature).slice(),
    extensions,
  };
}
