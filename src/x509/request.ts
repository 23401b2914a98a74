import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { PkiError } from '../errors.js';
import { signatureAlgorithmByOid, signatureAlgorithmFor, type SignatureAlgorithm } from '../keys/algorithms.js';
import { signBytes, verifyBytes } from '../keys/sign.js';
import { subjectPublicKeyInfo } from '../keys/write.js';
import type { KeyPair } from '../keys/types.js';
import { PEM_LABELS, decodeSinglePem, looksLikePem, type Der } from '../pem/pem.js';
import { algorithmIdentifier } from './certificate.js';
import { EMPTY_SANS, type SubjectAltNames } from './hosts.js';
import { nameFromDer } from './name.js';
import { OID } from './oids.js';
import { hasSans, subjectAltNameExtension } from './extensions/subject-alt-name.js';
import { readExtensions, type ExtensionSummary } from './read-extensions.js';

export interface RequestTemplate {
  /** DER Name of the subject. */
  readonly subject: Uint8Array;
  readonly sans: SubjectAltNames;
}

/**
 * A PKCS#10 request (RFC 2986) as cfssl writes one: version 0, the subject, the key, and an
 * extensionRequest attribute holding the SANs when there are any (no attribute otherwise).
 */
export async function createCertificationRequest(template: RequestTemplate, key: KeyPair): Promise<Der> {
  const algorithm = signatureAlgorithmFor(key.spec);
  const request = new pkijs.CertificationRequest();
  request.version = 0;
  request.subject = nameFromDer(template.subject);
  request.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(subjectPublicKeyInfo(key) as Uint8Array<ArrayBuffer>);
  request.attributes = [];
  if (hasSans(template.sans)) {
    const subjectIsEmpty = request.subject.typesAndValues.length === 0;
    const extensions = new pkijs.Extensions({ extensions: [subjectAltNameExtension(template.sans, subjectIsEmpty)] });
    request.attributes.push(new pkijs.Attribute({ type: OID.extensionRequest, values: [extensions.toSchema()] }));
  }
  const tbs = new Uint8Array(encodeRequestInfo(request).toBER());
  const signature = await signBytes(key.privateKey, algorithm, tbs);
  return new Uint8Array(
    new asn1js.Sequence({
      value: [
        asn1js.fromBER(tbs).result,
        algorithmIdentifier(algorithm).toSchema(),
        new asn1js.BitString({ valueHex: signature.slice().buffer }),
      ],
    }).toBER(),
  );
}

// pkijs omits an empty attributes set, but RFC 2986 4.1 requires the [0] field; Go writes it empty.
function encodeRequestInfo(request: pkijs.CertificationRequest): asn1js.Sequence {
  return new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: request.version }),
      request.subject.toSchema(),
      request.subjectPublicKeyInfo.toSchema(),
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: (request.attributes ?? []).map((attribute) => attribute.toSchema()),
      }),
    ],
  });
}

/** A PKCS#10 request parsed and checked. */
export interface ParsedRequest {
  readonly der: Der;
  readonly request: pkijs.CertificationRequest;
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
    const request = pkijs.CertificationRequest.fromBER(der as Uint8Array<ArrayBuffer>);
    const spki = new Uint8Array(request.subjectPublicKeyInfo.toSchema().toBER());
    const algorithm = signatureAlgorithmByOid(request.signatureAlgorithm.algorithmId);
    if (!algorithm) {
      throw new PkiError('INVALID_CSR', `the request is signed with unsupported algorithm ${request.signatureAlgorithm.algorithmId}`, {
        file,
        hint: 'sign requests with ECDSA, RSA (SHA-2) or Ed25519',
      });
    }
    const requested = request.attributes?.find((a) => a.type === OID.extensionRequest)?.values[0];
    const extensions = requested
      ? readExtensions(pkijs.Extensions.fromBER(requested.toBER()).extensions)
      : readExtensions([]);
    return {
      der,
      request,
      subject: new Uint8Array(request.subject.toSchema().toBER()),
      publicKey: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }),
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
  const tbs = new Uint8Array(parsed.request.tbsView);
  const signature = new Uint8Array(parsed.request.signatureValue.valueBlock.valueHexView);
  const ok = await verifyBytes(parsed.publicKey, parsed.signatureAlgorithm, tbs, signature);
  if (!ok) {
    throw new PkiError('BAD_SIGNATURE', "the certificate request's signature does not verify", {
      file,
      hint: 'the request was altered or signed with another key; generate it again',
    });
  }
}
