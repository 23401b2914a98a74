import { describe, expect, it } from 'vitest';
import { validityWindow } from '../../src/signing/validity.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('validityWindow', () => {
  const cases = [
    {
      name: 'backdates 5 minutes from now rounded down to the minute',
      now: '2026-11-25T13:08:54.000Z',
      policy: { expiry: 8760 * HOUR, backdate: 5 * MINUTE },
      window: ['2026-11-25T13:04:00.000Z', '2027-11-25T13:04:00.000Z'],
    },
    {
      name: 'rounds 13:08:29.999 down to 13:08, as Go time.Round does',
      now: '2026-11-25T13:08:29.999Z',
      policy: { expiry: HOUR, backdate: 5 * MINUTE },
      window: ['2026-11-25T13:03:00.000Z', '2026-11-25T14:03:00.000Z'],
    },
    {
      name: 'rounds half a minute up',
      now: '2026-11-25T13:08:30.000Z',
      policy: { expiry: HOUR, backdate: 5 * MINUTE },
      window: ['2026-11-25T13:04:00.000Z', '2026-11-25T14:04:00.000Z'],
    },
    {
      name: "lasts 168h for the walkthrough's default profile",
      now: '2026-02-28T23:59:59.000Z',
      policy: { expiry: 168 * HOUR, backdate: 5 * MINUTE },
      window: ['2026-02-28T23:55:00.000Z', '2026-03-07T23:55:00.000Z'],
    },
    {
      name: 'keeps a fixed not_before and adds the expiry to it',
      now: '2026-11-25T13:08:54.000Z',
      policy: { expiry: 24 * HOUR, backdate: 5 * MINUTE, notBefore: new Date('2027-01-01T00:00:00Z') },
      window: ['2027-01-01T00:00:00.000Z', '2027-01-02T00:00:00.000Z'],
    },
    {
      name: 'keeps a fixed not_after',
      now: '2026-11-25T13:08:54.000Z',
      policy: { expiry: 24 * HOUR, backdate: 5 * MINUTE, notAfter: new Date('2026-12-01T00:00:00Z') },
      window: ['2026-11-25T13:04:00.000Z', '2026-12-01T00:00:00.000Z'],
    },
  ];
  it.each(cases)('$name', ({ now, policy, window }) => {
    const { notBefore, notAfter } = validityWindow(policy, new Date(now));
    expect([notBefore.toISOString(), notAfter.toISOString()]).toEqual(window);
  });
});
