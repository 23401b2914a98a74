import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../src/suggest.js';
import { USAGE_NAMES } from '../src/profiles/usages.js';

describe('editDistance', () => {
  it.each([
    ['sever auth', 'server auth', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['peer', 'peer', 0],
  ] as const)('%s -> %s is %i edits', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
  });
});

describe('did-you-mean', () => {
  const cases = [
    { name: 'suggests "server auth" for "sever auth"', input: 'sever auth', expected: 'server auth' },
    { name: 'suggests "client auth" for "client-auth"', input: 'client-auth', expected: 'client auth' },
    { name: 'suggests "key encipherment" for "key encypherment"', input: 'key encypherment', expected: 'key encipherment' },
    {
      name: 'suggests "digital signature" for "Digital Signature" (case-insensitive)',
      input: 'Digital Signature',
      expected: 'digital signature',
    },
    { name: 'suggests "cert sign" for "certsign"', input: 'certsign', expected: 'cert sign' },
    { name: 'suggests nothing for "tls", far from every usage', input: 'tls', expected: undefined },
  ];
  it.each(cases)('$name', ({ input, expected }) => {
    expect(closest(input, USAGE_NAMES)).toBe(expected);
  });

  it('lists the accepted values when nothing is close', () => {
    expect(didYouMean('zzz', ['server', 'client', 'peer'])).toBe('accepted values: "server", "client", "peer"');
  });

  it('phrases a close match as a question', () => {
    expect(didYouMean('pear', ['server', 'client', 'peer'])).toBe('did you mean "peer"?');
  });
});
