import { OID } from '../asn1/oids.js';

/**
 * cfssl's usage names (config.KeyUsage) -> Go x509.KeyUsage bits (bit i = RFC 5280 named bit i).
 * "signing" and "digital signature" are the same bit, as in cfssl.
 */
export const KEY_USAGE_BITS = {
  signing: 1 << 0,
  'digital signature': 1 << 0,
  'content commitment': 1 << 1,
  'key encipherment': 1 << 2,
  'data encipherment': 1 << 3,
  'key agreement': 1 << 4,
  'cert sign': 1 << 5,
  'crl sign': 1 << 6,
  'encipher only': 1 << 7,
  'decipher only': 1 << 8,
} as const;

/** cfssl's usage names (config.ExtKeyUsage) -> extended key usage OIDs. */
export const EXT_KEY_USAGE_OIDS = {
  any: OID.anyExtendedKeyUsage,
  'server auth': OID.serverAuth,
  'client auth': OID.clientAuth,
  'code signing': OID.codeSigning,
  'email protection': OID.emailProtection,
  's/mime': OID.emailProtection,
  'ipsec end system': OID.ipsecEndSystem,
  'ipsec tunnel': OID.ipsecTunnel,
  'ipsec user': OID.ipsecUser,
  timestamping: OID.timeStamping,
  'ocsp signing': OID.ocspSigning,
  'microsoft sgc': OID.microsoftServerGatedCrypto,
  'netscape sgc': OID.netscapeServerGatedCrypto,
} as const;

export type KeyUsageName = keyof typeof KEY_USAGE_BITS;
export type ExtKeyUsageName = keyof typeof EXT_KEY_USAGE_OIDS;
export type UsageName = KeyUsageName | ExtKeyUsageName;

/** Every usage name cfssl accepts, for did-you-mean and the schema's documentation. */
export const USAGE_NAMES: readonly UsageName[] = [
  ...(Object.keys(KEY_USAGE_BITS) as KeyUsageName[]),
  ...(Object.keys(EXT_KEY_USAGE_OIDS) as ExtKeyUsageName[]),
];

export function isUsageName(name: string): name is UsageName {
  return Object.hasOwn(KEY_USAGE_BITS, name) || Object.hasOwn(EXT_KEY_USAGE_OIDS, name);
}

/** RFC 5280 key usage bit names, for reports (`keyUsage` bits -> names). */
export const KEY_USAGE_BIT_NAMES = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/**
 * The key usage bits and EKU OIDs of a usage list, in the list's order (cfssl writes EKUs in the
 * profile's order); a repeated OID is written again, as cfssl writes it ("email protection" and
 * "s/mime" are one OID).
 */
export function usagesToExtensions(usages: readonly UsageName[]): { keyUsage: number; extKeyUsage: string[] } {
  let keyUsage = 0;
  const extKeyUsage: string[] = [];
  for (const usage of usages) {
    if (Object.hasOwn(KEY_USAGE_BITS, usage)) keyUsage |= KEY_USAGE_BITS[usage as KeyUsageName];
    else {
      extKeyUsage.push(EXT_KEY_USAGE_OIDS[usage as ExtKeyUsageName]);
    }
  }
  return { keyUsage, extKeyUsage };
}
