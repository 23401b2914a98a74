import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID } from '../oids.js';
import { makeExtension, memoised } from './extension.js';

export interface BasicConstraints {
  readonly isCA: boolean;
  /** pathLenConstraint; omitted when undefined. */
  readonly pathLen?: number | undefined;
}

function build(constraints: BasicConstraints): pkijs.Extension {
  const value: asn1js.BaseBlock[] = [];
  if (constraints.isCA) value.push(new asn1js.Boolean({ value: true }));
  if (constraints.isCA && constraints.pathLen !== undefined) value.push(new asn1js.Integer({ value: constraints.pathLen }));
  return makeExtension(OID.basicConstraints, true, new asn1js.Sequence({ value }));
}

const byKey = memoised((key: string) => {
  const [isCA, pathLen] = key.split(':');
  return build({ isCA: isCA === 'true', ...(pathLen ? { pathLen: Number(pathLen) } : {}) });
});

/**
 * BasicConstraints (RFC 5280 4.2.1.9), critical as cfssl writes it on every certificate.
 * `cA` is DEFAULT FALSE and so omitted for leaves: a leaf's value is an empty SEQUENCE.
 */
export function basicConstraintsExtension(constraints: BasicConstraints): pkijs.Extension {
  return byKey(`${constraints.isCA}:${constraints.pathLen ?? ''}`);
}
