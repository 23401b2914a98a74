import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessRunning } from '../../src/io/process-alive.js';

describe('isProcessRunning', () => {
  it('knows this process, and pid 1 (another owner on some machines: EPERM still means alive)', () => {
    expect(isProcessRunning(process.pid)).toBe(true);
    expect(isProcessRunning(1)).toBe(true);
  });

  it('knows a process that has exited is gone', () => {
    const { pid } = spawnSync(process.execPath, ['-e', '0']);
    expect(pid).toBeGreaterThan(0);
    expect(isProcessRunning(pid!)).toBe(false);
  });
});
