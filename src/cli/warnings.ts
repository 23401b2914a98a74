import { describeWarning, type WarningSink } from '../errors.js';
import type { CliContext } from './context.js';

/** Prints each warning as one line on stderr: what cfssl does silently, said aloud. */
export function warnings(context: CliContext): WarningSink {
  return (warning) => context.output.stderr(`etcd-pki: warning: ${describeWarning(warning)}\n`);
}
