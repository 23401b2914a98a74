import type { StdinReader } from '../io/input.js';
import type { Output } from './output.js';

/** What every command receives from main: its sinks, stdin, and the run-wide flags. */
export interface CliContext {
  readonly output: Output;
  readonly stdin: StdinReader;
  /** Temp files being written, removed by main's signal handler on SIGINT/SIGTERM. */
  readonly inFlight: Set<string>;
  /** `--quiet`: no progress and no informational lines on stderr. */
  readonly quiet: boolean;
  /**
   * Aborted by main's SIGINT/SIGTERM handler; pass it to writeFileSet so that an interrupted
   * write removes its temp files and directories. Absent when main installs no handlers.
   */
  readonly signal?: AbortSignal;
}
