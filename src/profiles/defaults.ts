import type { CaConfigJson } from './types.js';

/** cfssl's backdate when a profile sets none: NotBefore = now - 5 minutes (signer.local). */
export const DEFAULT_BACKDATE_MS = 5 * 60_000;

/** cfssl's expiry when neither a profile nor the default sets one: one year. */
export const DEFAULT_EXPIRY = '8760h';

/** cfssl's CA validity for -initca without `ca.expiry`: five years (helpers.FiveYears). */
export const DEFAULT_CA_EXPIRY = '43800h';

/**
 * The policy cfssl signs with when no -config is given (config.DefaultConfig): one year,
 * signing + key encipherment + server auth + client auth.
 */
export const DEFAULT_CA_CONFIG: CaConfigJson = {
  signing: {
    default: { expiry: DEFAULT_EXPIRY, usages: ['signing', 'key encipherment', 'server auth', 'client auth'] },
  },
};

/** `print-defaults config`: what `cfssl print-defaults config` prints, key for key. */
export const EXAMPLE_CA_CONFIG: CaConfigJson = {
  signing: {
    default: { expiry: '168h' },
    profiles: {
      www: { expiry: '8760h', usages: ['signing', 'key encipherment', 'server auth'] },
      client: { expiry: '8760h', usages: ['signing', 'key encipherment', 'client auth'] },
    },
  },
};
