import { parseGoDuration } from '../duration.js';
import { PkiError, jsonPointer, type WarningSink } from '../errors.js';
import { parseAndValidate } from '../validate.js';
import { didYouMean } from '../suggest.js';
import { DEFAULT_BACKDATE_MS, DEFAULT_CA_CONFIG, DEFAULT_EXPIRY } from './defaults.js';
import type { CaConfigJson, ProfileJson, SigningPolicy, SigningProfile } from './types.js';
import { USAGE_NAMES, isUsageName, usagesToExtensions, type UsageName } from './usages.js';
import { compileRe2, type Re2Pattern } from './re2.js';

export interface LoadSigningPolicyOptions {
  /** The file name used in error messages. */
  file?: string | undefined;
  /** Told of a duplicate key (the last one wins, as in cfssl); default: a duplicate is refused. */
  onWarning?: WarningSink | undefined;
}

/**
 * Reads a cfssl ca-config.json: strict JSON, then the schema, then cfssl's rules (usages,
 * durations, dates, patterns), each error naming the file, JSON path and fix.
 * @throws PkiError
 */
export function loadSigningPolicy(text: string, options: LoadSigningPolicyOptions = {}): SigningPolicy {
  const json = parseAndValidate('ca-config', text, options.file, { duplicateKeys: options.onWarning }) as CaConfigJson;
  return normaliseSigningPolicy(json, options.file);
}

/** The policy cfssl uses when no -config is given. */
export function defaultSigningPolicy(): SigningPolicy {
  return normaliseSigningPolicy(DEFAULT_CA_CONFIG, undefined);
}

/** Turns schema-valid ca-config JSON into a policy, applying cfssl's rules. */
export function normaliseSigningPolicy(json: CaConfigJson, file: string | undefined): SigningPolicy {
  const authKeys = json.auth_keys ?? {};
  // cfssl: a file without signing.default signs with its built-in default (config.DefaultConfig).
  const defaultJson = json.signing.default ?? DEFAULT_CA_CONFIG.signing.default!;
  const defaultExpiry = defaultJson.expiry ?? DEFAULT_EXPIRY;
  const normalise = (name: string, profile: ProfileJson, path: string) =>
    normaliseProfile(name, profile, { file, path, defaultExpiry, authKeys: Object.keys(authKeys) });
  const defaultProfile = normalise('default', defaultJson, jsonPointer('signing', 'default'));
  // No prototype: a profile named __proto__ or toString is a profile like any other.
  const profiles = Object.create(null) as Record<string, SigningProfile>;
  for (const [name, profile] of Object.entries(json.signing.profiles ?? {})) {
    profiles[name] = inheritRevocation(normalise(name, profile, jsonPointer('signing', 'profiles', name)), profile, defaultProfile);
  }
  return {
    file,
    defaultProfile,
    profiles,
    authKeys,
    remotes: json.remotes ?? {},
  };
}

/**
 * cfssl's signer.FillTemplate: a profile without `crl_url`, `ocsp_url` or `issuer_urls` issues
 * with the default profile's.
 */
function inheritRevocation(profile: SigningProfile, json: ProfileJson, defaults: SigningProfile): SigningProfile {
  const crlUrl = profile.crlUrl || defaults.crlUrl;
  const ocspUrl = profile.ocspUrl || defaults.ocspUrl;
  return {
    ...profile,
    ...(crlUrl !== undefined ? { crlUrl } : {}),
    ...(ocspUrl !== undefined ? { ocspUrl } : {}),
    issuerUrls: json.issuer_urls === undefined ? defaults.issuerUrls : profile.issuerUrls,
  };
}

interface ProfileContext {
  file: string | undefined;
  path: string;
  defaultExpiry: string;
  authKeys: string[];
}

const UNSUPPORTED_OPTIONS = ['copy_extensions', 'policies', 'ocsp_no_check', 'allowed_extensions', 'ct_log_servers'] as const;

function normaliseProfile(name: string, json: ProfileJson, context: ProfileContext): SigningProfile {
  const { file, path } = context;
  const at = (...segments: Array<string | number>) => path + jsonPointer(...segments);

  for (const option of UNSUPPORTED_OPTIONS) {
    if (json[option] !== undefined) {
      throw new PkiError('UNSUPPORTED', `cfssl option "${option}" is not supported by etcd-pki`, {
        file,
        path: at(option),
        hint: 'remove it; etcd-pki would otherwise issue something other than what this file asks for',
      });
    }
  }

  const usages: UsageName[] = [];
  (json.usages ?? []).forEach((usage, index) => {
    if (!isUsageName(usage)) {
      throw new PkiError('UNKNOWN_USAGE', `unknown usage ${JSON.stringify(usage)}`, {
        file,
        path: at('usages', index),
        hint: didYouMean(usage, USAGE_NAMES),
      });
    }
    usages.push(usage);
  });
  const { keyUsage, extKeyUsage } = usagesToExtensions(usages);

  const expiry = parseGoDuration(json.expiry ?? context.defaultExpiry, {
    file,
    path: json.expiry === undefined ? jsonPointer('signing', 'default', 'expiry') : at('expiry'),
  });
  const backdate = json.backdate === undefined ? 0 : parseGoDuration(json.backdate, { file, path: at('backdate'), allowZero: true });

  const date = (key: 'not_before' | 'not_after') => {
    const text = json[key];
    if (text === undefined) return undefined;
    const value = new Date(text);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(value.getTime())) {
      throw new PkiError('INVALID_CONFIG', `${key} ${JSON.stringify(text)} is not an RFC 3339 time`, {
        file,
        path: at(key),
        hint: 'write it as "2027-01-01T00:00:00Z"',
      });
    }
    return value;
  };
  const notBefore = date('not_before');
  const notAfter = date('not_after');
  if (notBefore && notAfter && notAfter <= notBefore) {
    throw new PkiError('INVALID_CONFIG', 'not_after is not after not_before', {
      file,
      path: at('not_after'),
      hint: 'swap them, or remove one and let expiry decide',
    });
  }

  let nameWhitelist: Re2Pattern | undefined;
  if (json.name_whitelist !== undefined) {
    try {
      nameWhitelist = compileRe2(json.name_whitelist);
    } catch (cause) {
      if (!(cause instanceof PkiError)) throw cause;
      throw new PkiError('INVALID_CONFIG', `name_whitelist is ${cause.message}`, {
        file,
        path: at('name_whitelist'),
        hint: "fix the pattern (Go's RE2 syntax, as cfssl reads it: no backreferences or lookaround), or remove it",
        cause,
      });
    }
  }

  if (json.auth_key !== undefined && !context.authKeys.includes(json.auth_key)) {
    throw new PkiError('INVALID_CONFIG', `auth_key ${JSON.stringify(json.auth_key)} is not defined in auth_keys`, {
      file,
      path: at('auth_key'),
      hint: context.authKeys.length ? didYouMean(json.auth_key, context.authKeys) : 'add it under "auth_keys"',
    });
  }

  const ca = json.ca_constraint;
  return {
    name,
    path,
    file,
    usages,
    keyUsage,
    extKeyUsage,
    expiry,
    backdate: backdate === 0 ? DEFAULT_BACKDATE_MS : backdate,
    ...(notBefore ? { notBefore } : {}),
    ...(notAfter ? { notAfter } : {}),
    ...(ca?.is_ca ? { caConstraint: { isCA: true, maxPathLen: ca.max_path_len ?? 0, maxPathLenZero: ca.max_path_len_zero ?? false } } : {}),
    ...(nameWhitelist ? { nameWhitelist } : {}),
    ...(json.crl_url !== undefined ? { crlUrl: json.crl_url } : {}),
    ...(json.ocsp_url !== undefined ? { ocspUrl: json.ocsp_url } : {}),
    issuerUrls: json.issuer_urls ?? [],
    ...(json.auth_key !== undefined ? { authKey: json.auth_key } : {}),
  };
}
