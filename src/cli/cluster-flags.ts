import { PkiError } from '../errors.js';
import type { NameJson } from '../csr/types.js';
import type { ClusterJson, MemberJson } from '../bundle/types.js';
import { didYouMean } from '../suggest.js';

/** The description flags of cluster-bundle; each one given replaces the description's value. */
export interface ClusterFlags {
  token?: string;
  pkiDir?: string;
  dataDir?: string;
  keyAlgo?: 'ecdsa' | 'rsa' | 'ed25519';
  keySize?: string;
  caExpiry?: string;
  serverExpiry?: string;
  peerExpiry?: string;
  clientExpiry?: string;
  crlExpiry?: string;
  subject?: string;
  caCn?: string;
  sharedServerCert?: boolean;
  /** `--no-localhost` sets false; undefined when not given. */
  localhost?: boolean;
  owner?: string;
  trust?: 'separate' | 'single' | 'migrating';
  /** `--single-ca`: the same as `--trust single`. */
  singleCa?: boolean;
}

/**
 * `-member etcd1=192.168.0.91,etcd1.example.com`: a member's name and hosts.
 * @throws PkiError USAGE with the expected form.
 */
export function parseMemberFlag(value: string): MemberJson {
  const at = value.indexOf('=');
  const hosts = value
    .slice(at + 1)
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
  if (at <= 0 || hosts.length === 0) {
    throw new PkiError('USAGE', `-member ${JSON.stringify(value)} is not NAME=IP[,IP|DNS...]`, {
      hint: 'e.g. -member etcd1=192.168.0.91 (add DNS names after a comma: etcd1=192.168.0.91,etcd1.example.com)',
    });
  }
  return { name: value.slice(0, at).trim(), hosts };
}

const SUBJECT_KEYS = ['C', 'ST', 'L', 'O', 'OU'] as const;

/**
 * `-subject "C=US,ST=San Francisco,L=CA,O=Example"`: cfssl's `names`. A repeated attribute starts
 * another entry, as a second `names` object would.
 * @throws PkiError USAGE naming the part and the accepted attributes.
 */
export function parseSubjectFlag(value: string): NameJson[] {
  const names: NameJson[] = [];
  let current: NameJson = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    if (at <= 0 || !(SUBJECT_KEYS as readonly string[]).includes(key)) {
      throw new PkiError('USAGE', `-subject part ${JSON.stringify(part)} is not ATTRIBUTE=VALUE`, {
        hint:
          at <= 0
            ? `attributes are ${SUBJECT_KEYS.join(', ')}, e.g. -subject "C=US,ST=San Francisco,O=Example"`
            : didYouMean(key, SUBJECT_KEYS),
      });
    }
    const attribute = key as (typeof SUBJECT_KEYS)[number];
    if (current[attribute] !== undefined) {
      names.push(current);
      current = {};
    }
    current[attribute] = part.slice(at + 1).trim();
  }
  if (Object.keys(current).length > 0) names.push(current);
  return names;
}

/** `base` with each description flag given applied. */
export function applyClusterFlags(base: ClusterJson, flags: ClusterFlags): ClusterJson {
  const json: ClusterJson = { ...base };
  if (flags.token !== undefined) json.token = flags.token;
  if (flags.pkiDir !== undefined) json.pkiDir = flags.pkiDir;
  if (flags.dataDir !== undefined) json.dataDir = flags.dataDir;
  if (flags.owner !== undefined) json.owner = flags.owner;
  if (flags.sharedServerCert !== undefined) json.sharedServerCert = flags.sharedServerCert;
  if (flags.singleCa && flags.trust !== undefined && flags.trust !== 'single') {
    throw new PkiError('USAGE', `-single-ca and -trust ${flags.trust} contradict each other`, { hint: 'give one of them' });
  }
  if (flags.singleCa) json.trust = 'single';
  else if (flags.trust !== undefined) json.trust = flags.trust;
  if (flags.localhost !== undefined) json.localhost = flags.localhost;
  if (flags.subject !== undefined) json.names = parseSubjectFlag(flags.subject);
  if (flags.caCn !== undefined) json.ca = { ...json.ca, CN: flags.caCn };
  if (flags.keyAlgo !== undefined || flags.keySize !== undefined) json.key = keyFlags(flags, base);
  const expiry = {
    ...(flags.caExpiry !== undefined ? { ca: flags.caExpiry } : {}),
    ...(flags.serverExpiry !== undefined ? { server: flags.serverExpiry } : {}),
    ...(flags.peerExpiry !== undefined ? { peer: flags.peerExpiry } : {}),
    ...(flags.clientExpiry !== undefined ? { client: flags.clientExpiry } : {}),
    ...(flags.crlExpiry !== undefined ? { crl: flags.crlExpiry } : {}),
  };
  if (Object.keys(expiry).length > 0) json.expiry = { ...json.expiry, ...expiry };
  return json;
}

function keyFlags(flags: ClusterFlags, base: ClusterJson): NonNullable<ClusterJson['key']> {
  const algo = flags.keyAlgo ?? base.key?.algo ?? 'ecdsa';
  const sizeText = flags.keySize ?? (flags.keyAlgo === undefined ? undefined : algo === 'ecdsa' ? '256' : undefined);
  if (sizeText === undefined) {
    if (algo === 'rsa') throw new PkiError('USAGE', '-key-algo rsa needs -key-size', { hint: 'e.g. -key-size 2048 (2048 to 8192)' });
    return { algo };
  }
  const size = Number(sizeText);
  if (!Number.isInteger(size) || size <= 0) {
    throw new PkiError('USAGE', `-key-size ${JSON.stringify(sizeText)} is not a number of bits`, {
      hint: 'ecdsa: 256, 384 or 521; rsa: 2048 to 8192',
    });
  }
  return { algo, size };
}
