/**
 * The one error type etcd-pki throws for anything a user can act on.
 *
 * Every message names the value at fault; `file` and `path` (a JSON pointer such as
 * `/signing/profiles/peer/usages/2`) locate it, and `hint` says how to fix it. The CLI prints
 * `file: path: message; hint` and maps `code` to an exit status; libraries never exit.
 */
export const ERROR_CODES = {
  /** Input is not well-formed JSON or does not match the JSON Schema. */
  INVALID_JSON: 'INVALID_JSON',
  /** Input is valid JSON but breaks a rule of cfssl's or etcd's. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  INVALID_REQUEST: 'INVALID_REQUEST',
  INVALID_DURATION: 'INVALID_DURATION',
  INVALID_HOST: 'INVALID_HOST',
  UNKNOWN_USAGE: 'UNKNOWN_USAGE',
  PROFILE_UNKNOWN: 'PROFILE_UNKNOWN',
  POLICY_VIOLATION: 'POLICY_VIOLATION',
  KEY_TOO_WEAK: 'KEY_TOO_WEAK',
  KEY_UNSUPPORTED: 'KEY_UNSUPPORTED',
  KEY_MISMATCH: 'KEY_MISMATCH',
  KEY_ENCRYPTED: 'KEY_ENCRYPTED',
  INVALID_PEM: 'INVALID_PEM',
  INVALID_CERTIFICATE: 'INVALID_CERTIFICATE',
  INVALID_CSR: 'INVALID_CSR',
  /** A certificate revocation list that cannot be parsed. */
  INVALID_CRL: 'INVALID_CRL',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  UNSUPPORTED: 'UNSUPPORTED',
  USAGE: 'USAGE',
  IO: 'IO',
  FILE_EXISTS: 'FILE_EXISTS',
  UNSAFE_PATH: 'UNSAFE_PATH',
  LOCKED: 'LOCKED',
  INVALID_CLUSTER: 'INVALID_CLUSTER',
  /** The run was stopped by SIGINT or SIGTERM before its files were complete; nothing was written. */
  INTERRUPTED: 'INTERRUPTED',
  /**
   * A check ran and found a problem (doctor's FAIL findings, certificates expired or expiring):
   * its own exit status, so that a script tells "the cluster needs attention" from "wrong input".
   */
  CHECK_FAILED: 'CHECK_FAILED',
  /** A library function was called with arguments of the wrong type or shape (null, a circular object). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface PkiErrorOptions {
  /** The input file the problem is in, as the user named it. */
  file?: string | undefined;
  /** JSON pointer into that file (RFC 6901), `''` for the whole document. */
  path?: string | undefined;
  /** The fix, or the accepted values. */
  hint?: string | undefined;
  cause?: unknown;
}

export class PkiError extends Error {
  override readonly name = 'PkiError';
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly path: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: PkiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.path = options.path;
    this.hint = options.hint;
  }

  /** A copy located in `file` (when the thrower did not know which file it was reading). */
  inFile(file: string | undefined): PkiError {
    if (file === undefined || this.file !== undefined) return this;
    return new PkiError(this.code, this.message, {
      file,
      path: this.path,
      hint: this.hint,
      cause: this.cause,
    });
  }

  /** `file: path: message; hint`, the one line the CLI prints. */
  describe(): string {
    const where = [this.file, this.path ? jsonPointerToDotted(this.path) : undefined]
      .filter((part): part is string => part !== undefined && part !== '')
      .join(': ');
    const text = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${text}; ${this.hint}` : text;
  }
}

/** `/signing/profiles/peer/usages/2` -> `signing.profiles.peer.usages[2]`, as users read JSON. */
export function jsonPointerToDotted(pointer: string): string {
  if (pointer === '') return '';
  return (
    pointer
      .split('/')
      .slice(1)
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
      // A key as long as a line is shortened; the message says what it is.
      .map((token) => (token.length > 64 ? `${token.slice(0, 24)}... (${token.length} characters)` : token))
      .reduce((out, token) => {
        if (/^\d+$/.test(token)) return `${out}[${token}]`;
        if (/^[A-Za-z_$][\w$-]*$/.test(token)) return out === '' ? token : `${out}.${token}`;
        return `${out}[${JSON.stringify(token)}]`;
      }, '')
  );
}

/** Builds a JSON pointer from path segments, escaping `~` and `/` as RFC 6901 requires. */
export function jsonPointer(...segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Something cfssl does silently to an input that etcd-pki does too (the last of two duplicate
 * keys wins, an empty host becomes an empty DNS name): said on stderr in one line, never an error.
 */
export interface PkiWarning {
  readonly message: string;
  /** The input file, as the user named it. */
  readonly file?: string | undefined;
  /** JSON pointer into that file. */
  readonly path?: string | undefined;
}

/** Where a library reports warnings; the CLI prints each on stderr. */
export type WarningSink = (warning: PkiWarning) => void;

/** `file: path: message`, the one line the CLI prints after `warning: `. */
export function describeWarning(warning: PkiWarning): string {
  const where = [warning.file, warning.path ? jsonPointerToDotted(warning.path) : undefined]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(': ');
  return where ? `${where}: ${warning.message}` : warning.message;
}

export function isPkiError(value: unknown): value is PkiError {
  return value instanceof PkiError;
}
