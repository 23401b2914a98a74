import type { GoDuration, Milliseconds } from '../duration.js';
import type { UsageName } from './usages.js';
import type { Re2Pattern } from './re2.js';

/** A profile exactly as written in ca-config.json (cfssl's snake_case), after schema validation. */
export interface ProfileJson {
  usages?: string[];
  expiry?: GoDuration;
  backdate?: GoDuration;
  not_before?: string;
  not_after?: string;
  ca_constraint?: { is_ca?: boolean; max_path_len?: number; max_path_len_zero?: boolean };
  name_whitelist?: string;
  crl_url?: string;
  ocsp_url?: string;
  issuer_urls?: string[];
  auth_key?: string;
  remote?: string;
  auth_remote?: { remote?: string; auth_key?: string };
  copy_extensions?: boolean;
  policies?: unknown[];
  ocsp_no_check?: boolean;
  allowed_extensions?: unknown[];
  ct_log_servers?: unknown[];
}

/** ca-config.json as written, after schema validation. */
export interface CaConfigJson {
  $schema?: string;
  signing: { default?: ProfileJson; profiles?: Record<string, ProfileJson> };
  auth_keys?: Record<string, { type: 'standard'; key: string }>;
  remotes?: Record<string, string>;
}

/** A CA constraint: lets a profile issue CA certificates (cfssl's `ca_constraint`). */
export interface CaConstraint {
  readonly isCA: boolean;
  readonly maxPathLen: number;
  readonly maxPathLenZero: boolean;
}

/** A profile normalised into what issuance needs: bits, OIDs, milliseconds, compiled patterns. */
export interface SigningProfile {
  /** `default` or the profile's name in `signing.profiles`. */
  readonly name: string;
  /** JSON pointer of the profile in its file, for messages. */
  readonly path: string;
  /** The ca-config file it came from, for messages; undefined for cfssl's built-in policy. */
  readonly file?: string | undefined;
  readonly usages: readonly UsageName[];
  /** Go x509.KeyUsage bits. */
  readonly keyUsage: number;
  /** Extended key usage OIDs, in the profile's order. */
  readonly extKeyUsage: readonly string[];
  readonly expiry: Milliseconds;
  /** How far NotBefore lies before now; cfssl's default 5 minutes when unset or zero. */
  readonly backdate: Milliseconds;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly caConstraint?: CaConstraint;
  /** `name_whitelist`, in Go's RE2 syntax, matched in linear time. */
  readonly nameWhitelist?: Re2Pattern;
  readonly crlUrl?: string;
  readonly ocspUrl?: string;
  readonly issuerUrls: readonly string[];
  readonly authKey?: string;
}

/** The whole signing policy of a ca-config.json. */
export interface SigningPolicy {
  /** The file it came from, if any. */
  readonly file?: string | undefined;
  readonly defaultProfile: SigningProfile;
  readonly profiles: Readonly<Record<string, SigningProfile>>;
  readonly authKeys: Readonly<Record<string, { readonly type: 'standard'; readonly key: string }>>;
  readonly remotes: Readonly<Record<string, string>>;
}
