import { readFileSync } from 'node:fs';

/**
 * The process's file mode creation mask, or undefined where it cannot be read. Read from
 * /proc/self/status (Linux 4.7+): process.umask() without an argument sets the mask to 0 and
 * back, and a file another thread creates in between gets mode 0666 (Node's DEP0139).
 */
export function processUmask(): number | undefined {
  try {
    const match = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'latin1'));
    return match ? parseInt(match[1]!, 8) : undefined;
  } catch {
    return undefined;
  }
}
