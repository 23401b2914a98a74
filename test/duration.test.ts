import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from '../src/duration.js';
import { expectPkiErrorSync } from './support/errors.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('parseGoDuration', () => {
  const valid = [
    { name: "reads '8760h' as one year of 365 days", text: '8760h', ms: 8760 * HOUR },
    { name: "reads '168h' as one week", text: '168h', ms: 168 * HOUR },
    { name: "reads '43800h' as cfssl's five CA years", text: '43800h', ms: 43800 * HOUR },
    { name: "reads '1h30m' as 90 minutes", text: '1h30m', ms: 90 * MINUTE },
    { name: "reads '90m' as 90 minutes", text: '90m', ms: 90 * MINUTE },
    { name: "reads '1.5h' with a fraction as Go does", text: '1.5h', ms: 90 * MINUTE },
    { name: "reads '.5h' (Go allows a bare fraction)", text: '.5h', ms: 30 * MINUTE },
    { name: "reads '2h45m30s' term by term", text: '2h45m30s', ms: 2 * HOUR + 45 * MINUTE + 30_000 },
    { name: "reads '1500ms'", text: '1500ms', ms: 1500 },
    { name: "reads '5m' (cfssl's default backdate)", text: '5m', ms: 5 * MINUTE },
    { name: "reads '1000us' and '1000µs' as one millisecond", text: '1000us', ms: 1 },
    { name: "reads '1000µs' with the micro sign", text: '1000µs', ms: 1 },
    { name: "reads '+1h' with an explicit sign", text: '+1h', ms: HOUR },
  ];
  it.each(valid)('$name', ({ text, ms }) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  const invalid = [
    { name: "rejects expiry '365d' and suggests '8760h'", text: '365d', hint: ['no "d" unit', '"8760h"'] },
    { name: "rejects '1y' and suggests '8760h'", text: '1y', hint: ['no "y" unit', '"8760h"'] },
    { name: "rejects '5y' and suggests '43800h'", text: '5y', hint: '"43800h"' },
    { name: "rejects '2w' and suggests '336h'", text: '2w', hint: '"336h"' },
    { name: "rejects '1.5d' and suggests '36h'", text: '1.5d', hint: '"36h"' },
    { name: "rejects '30 days' and suggests '720h'", text: '30 days', hint: '"720h"' },
    { name: "rejects '10' without a unit (Go: missing unit)", text: '10', hint: 'units h, m, s' },
    { name: "rejects 'forever' and names Go's units", text: 'forever', hint: 'units h, m, s' },
    { name: "rejects '8760H' (Go units are lower case)", text: '8760H', hint: 'units h, m, s' },
    { name: "rejects '1h 30m' with a space inside", text: '1h 30m', hint: 'units h, m, s' },
    { name: 'rejects an empty string', text: '', hint: '"8760h"' },
    { name: "rejects '0s' (a zero validity)", text: '0s', message: 'is zero' },
    { name: "rejects '0' (a zero validity)", text: '0', message: 'is zero' },
    { name: "rejects '-1h' (a negative validity)", text: '-1h', message: 'is negative' },
  ];
  it.each(invalid)('$name', ({ text, hint, message }) => {
    expectPkiErrorSync(() => parseGoDuration(text, { file: 'ca-config.json', path: '/signing/default/expiry' }), {
      code: 'INVALID_DURATION',
      file: 'ca-config.json',
      path: '/signing/default/expiry',
      message: message ?? JSON.stringify(text),
      ...(hint ? { hint } : {}),
    });
  });

  it("accepts '0s' and '0' when zero is allowed (backdate)", () => {
    expect(parseGoDuration('0s', { allowZero: true })).toBe(0);
    expect(parseGoDuration('0', { allowZero: true })).toBe(0);
  });

  it("accepts '-5m' when negative durations are allowed", () => {
    expect(parseGoDuration('-5m', { allowNegative: true })).toBe(-5 * MINUTE);
  });
});

describe('formatGoDuration', () => {
  const cases = [
    { name: "formats one year as Go's '8760h0m0s'", ms: 8760 * HOUR, text: '8760h0m0s' },
    { name: "formats 90 minutes as '1h30m0s'", ms: 90 * MINUTE, text: '1h30m0s' },
    { name: "formats 5 minutes as '5m0s'", ms: 5 * MINUTE, text: '5m0s' },
    { name: "formats 1.5 seconds as '1.5s'", ms: 1500, text: '1.5s' },
    { name: "formats zero as '0s'", ms: 0, text: '0s' },
    { name: "formats minus one hour as '-1h0m0s'", ms: -HOUR, text: '-1h0m0s' },
  ];
  it.each(cases)('$name', ({ ms, text }) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it.each(['8760h', '1h30m', '90m', '2h45m30s', '5m', '1.5s'])('round-trips %s through format and parse', (text) => {
    const ms = parseGoDuration(text);
    expect(parseGoDuration(formatGoDuration(ms))).toBe(ms);
  });
});
