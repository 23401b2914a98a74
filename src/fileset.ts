/**
 * A plan of files to write, relative to an output directory: what the library returns and what
 * io/ applies atomically. The library never touches the disk.
 */
export interface PlannedFile {
  /** Path relative to the output directory, `/`-separated, never absolute or containing `..`. */
  readonly path: string;
  readonly contents: string | Uint8Array;
  /** File mode: 0o600 for private keys, 0o644 for certificates and configuration, 0o755 for scripts. */
  readonly mode: number;
  /** Holds a private key: written 0600 from open, in a 0700 directory, never printed. */
  readonly secret: boolean;
}

export interface FileSet {
  readonly files: readonly PlannedFile[];
}

/** Mode of private keys and of directories holding them. */
export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;
export const PUBLIC_FILE_MODE = 0o644;
export const SCRIPT_FILE_MODE = 0o755;
