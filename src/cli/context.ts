import type { StdinReader } from '../io/input.js';
import type { Output } from './output.js';

/** What every command receives from main: its sinks, stdin, and the run-wide flags. */
export interface CliContext {
  readonly output: Output;
  readonly stdin: StdinReader;
  /** Temp files being written, removed by main's signal handler on SIGINT/SIGTERM. */
  readonly inFlight: Set<string>;
  /**
   * Directories this run made and fills before moving them into place (io/staging.ts), removed
   * whole by main's signal handler. Unlike a temp file, one does not make the handler wait.
   */
  readonly inFlightDirs?: Set<string>;
  /** `--quiet`: no progress and no informational lines on stderr. */
  readonly quiet: boolean;
  /**
   * Aborted by main's SIGINT/SIGTERM handler; pass it to writeFileSet so that an interrupted
   * write removes its temp files and directories. Absent when main installs no handlers.
   */
  readonly signal?: AbortSignal;
}
