import { OID } from '../asn1/oids.js';
import { readName } from './name.js';
import { colonHex } from './key-id.js';
import { serialToDecimal } from './serial.js';
import { rfc3339 } from './time.js';
import type { ParsedCertificate } from './parse.js';
import type { ParsedRequest } from './request.js';
import type { SubjectAltNames } from './hosts.js';
import { encodePem, PEM_LABELS } from '../pem/pem.js';

/** A Name as `cfssl certinfo` prints it; several values of one attribute are joined with ",". */
export interface CertinfoName {
  common_name?: string;
  serial_number?: string;
  country?: string;
  organization?: string;
  organizational_unit?: string;
  locality?: string;
  province?: string;
  street_address?: string;
  postal_code?: string;
  names?: string[];
}

/** The JSON `cfssl certinfo -cert` prints, field for field and in its order. */
export interface CertificateInfo {
  subject: CertinfoName;
  issuer: CertinfoName;
  serial_number: string;
  sans?: string[];
  not_before: string;
  not_after: string;
  sigalg: string;
  authority_key_id: string;
  subject_key_id: string;
  pem: string;
}

/** The JSON etcd-pki prints for `certinfo -csr` (cfssl prints its internal Go struct there). */
export interface RequestInfo {
  subject: CertinfoName;
  sans?: string[];
  sigalg: string;
  pem: string;
}

const NAME_FIELDS = [
  ['common_name', OID.commonName],
  ['serial_number', OID.serialNumber],
  ['country', OID.countryName],
  ['organization', OID.organizationName],
  ['organizational_unit', OID.organizationalUnitName],
  ['locality', OID.localityName],
  ['province', OID.stateOrProvinceName],
  ['street_address', OID.streetAddress],
  ['postal_code', OID.postalCode],
] as const;

/** cfssl certinfo's Name: common fields (empty ones omitted) and every value in `names`. */
export function certinfoName(der: Uint8Array): CertinfoName {
  const attributes = readName(der);
  const out: CertinfoName = {};
  for (const [field, oid] of NAME_FIELDS) {
    const values = attributes.filter((attribute) => attribute.type === oid).map((attribute) => attribute.text);
    // Go's pkix.Name keeps one CommonName and one SerialNumber: the last one parsed.
    const text = field === 'common_name' || field === 'serial_number' ? values.at(-1) : values.join(',');
    if (text) out[field] = text;
  }
  const names = attributes.map((attribute) => attribute.text);
  if (names.length > 0) out.names = names;
  return out;
}

/** cfssl certinfo's `sans`: DNS names then IP addresses (it prints no email or URI SANs). */
function certinfoSans(sans: SubjectAltNames): string[] | undefined {
  const list = [...sans.dns, ...sans.ip];
  return list.length > 0 ? list : undefined;
}

/** The certinfo JSON of a certificate. */
export function certificateInfo(parsed: ParsedCertificate): CertificateInfo {
  const sans = certinfoSans(parsed.sans);
  return {
    subject: certinfoName(parsed.subject),
    issuer: certinfoName(parsed.issuer),
    serial_number: serialToDecimal(parsed.serial),
    ...(sans ? { sans } : {}),
    not_before: rfc3339(parsed.notBefore),
    not_after: rfc3339(parsed.notAfter),
    sigalg: parsed.signatureAlgorithm?.name ?? parsed.signatureAlgorithmOid,
    authority_key_id: parsed.extensions.authorityKeyId ? colonHex(parsed.extensions.authorityKeyId) : '',
    subject_key_id: parsed.extensions.subjectKeyId ? colonHex(parsed.extensions.subjectKeyId) : '',
    pem: parsed.pem,
  };
}

/** The certinfo JSON of a certificate request. */
export function requestInfo(parsed: ParsedRequest): RequestInfo {
  const sans = certinfoSans(parsed.sans);
  return {
    subject: certinfoName(parsed.subject),
    ...(sans ? { sans } : {}),
    sigalg: parsed.signatureAlgorithm.name,
    pem: encodePem(PEM_LABELS.certificateRequest, parsed.der),
  };
}
