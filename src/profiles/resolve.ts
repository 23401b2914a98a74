import { PkiError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { SigningPolicy, SigningProfile } from './types.js';

/**
 * The profile `name` names, or the default profile when `name` is empty or undefined.
 * Unlike cfssl, an unknown name is an error, not a silent fall-back to the default, and a profile
 * without usages is refused before anything is issued.
 * @throws PkiError PROFILE_UNKNOWN with did-you-mean, POLICY_VIOLATION for a profile without usages.
 */
export function resolveProfile(policy: SigningPolicy, name?: string): SigningProfile {
  const names = Object.keys(policy.profiles);
  // Own properties only: -profile toString is an unknown profile, not Object.prototype.toString.
  const profile = name ? (Object.hasOwn(policy.profiles, name) ? policy.profiles[name] : undefined) : policy.defaultProfile;
  if (!profile) {
    throw new PkiError('PROFILE_UNKNOWN', `unknown profile ${JSON.stringify(name)}`, {
      file: policy.file,
      path: '/signing/profiles',
      hint: names.length ? didYouMean(name ?? '', names) : 'this configuration defines no profiles; omit -profile',
    });
  }
  if (profile.usages.length === 0) {
    throw new PkiError('POLICY_VIOLATION', `profile "${profile.name}" has no usages`, {
      file: policy.file,
      path: profile.path,
      hint:
        name || names.length === 0
          ? 'add "usages", e.g. ["signing", "key encipherment", "server auth", "client auth"]'
          : `choose a profile with -profile (${names.join(', ')}) or add "usages" to the default`,
    });
  }
  return profile;
}
