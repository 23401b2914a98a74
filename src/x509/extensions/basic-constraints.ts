import { BOOLEAN_TRUE, TAG, tlv, unsignedInteger } from '../../asn1/der.js';
import { OID } from '../../asn1/oids.js';
import { certificateExtension, memoised, type CertificateExtension } from './extension.js';

export interface BasicConstraints {
  readonly isCA: boolean;
  /** pathLenConstraint; omitted when undefined. */
  readonly pathLen?: number | undefined;
}

// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
function build(isCA: boolean, pathLen: number | undefined): CertificateExtension {
  const value = isCA ? tlv(TAG.sequence, BOOLEAN_TRUE, ...(pathLen !== undefined ? [unsignedInteger(pathLen)] : [])) : tlv(TAG.sequence);
  return certificateExtension(OID.basicConstraints, true, value);
}

const byKey = memoised((key: string) => {
  const [isCA, pathLen] = key.split(':');
  return build(isCA === 'true', pathLen ? Number(pathLen) : undefined);
});

/**
 * BasicConstraints (RFC 5280 4.2.1.9), critical as cfssl writes it on every certificate.
 * `cA` is DEFAULT FALSE and so omitted for leaves: a leaf's value is an empty SEQUENCE, and a
 * leaf's pathLen is dropped.
 */
export function basicConstraintsExtension(constraints: BasicConstraints): CertificateExtension {
  return byKey(`${constraints.isCA}:${constraints.pathLen ?? ''}`);
}
