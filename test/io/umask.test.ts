import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processUmask } from '../../src/io/umask.js';

describe('processUmask', () => {
  it.runIf(existsSync('/proc/self/status')).each([0o022, 0o077, 0o000])('reads umask %o from /proc/self/status', (mask) => {
    const previous = process.umask(mask);
    try {
      expect(processUmask()).toBe(mask);
      expect(processUmask()).toBe(mask);
    } finally {
      process.umask(previous);
    }
  });
});
