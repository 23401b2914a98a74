import type { Milliseconds } from '../duration.js';

/** What decides a certificate's validity window. */
export interface ValidityPolicy {
  readonly expiry: Milliseconds;
  /** How far NotBefore lies before now. */
  readonly backdate: Milliseconds;
  readonly notBefore?: Date | undefined;
  readonly notAfter?: Date | undefined;
}

/**
 * cfssl's validity (signer.local): NotBefore = now rounded to the nearest minute minus the
 * backdate (unless fixed by not_before); NotAfter = NotBefore + expiry (unless fixed by not_after).
 */
export function validityWindow(policy: ValidityPolicy, now: Date): { notBefore: Date; notAfter: Date } {
  const rounded = Math.round(now.getTime() / 60_000) * 60_000;
  const notBefore = policy.notBefore ?? new Date(rounded - policy.backdate);
  const notAfter = policy.notAfter ?? new Date(notBefore.getTime() + policy.expiry);
  return { notBefore, notAfter };
}
