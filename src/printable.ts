/**
 * Characters a terminal acts on rather than shows: C0 controls (ESC, BEL, CR, LF, NUL...), DEL,
 * C1 controls (0x80-0x9f, CSI among them), the Unicode line and paragraph separators, and the
 * bidirectional overrides that reorder what follows them.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every control character written as `\uXXXX`, so that a value from a certificate
 * (a CN or SAN served by any endpoint) printed in a table cannot clear the screen, move the
 * cursor or forge a line of the report. JSON output needs none of this: JSON escapes controls.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
