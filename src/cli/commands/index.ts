import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addMemberCommand } from './add-member.js';
import { certinfoCommand } from './certinfo.js';
import { checkExpirationCommand } from './check-expiration.js';
import { clusterBundleCommand } from './cluster-bundle.js';
import { doctorCommand } from './doctor.js';
import { gencertCommand } from './gencert.js';
import { gencrlCommand } from './gencrl.js';
import { gencsrCommand } from './gencsr.js';
import { genkeyCommand } from './genkey.js';
import { jsonCommand } from './json.js';
import { printDefaultsCommand } from './print-defaults.js';
import { removeMemberCommand } from './remove-member.js';
import { renewCommand } from './renew.js';
import { revokeCommand } from './revoke.js';
import { rotateCaCommand } from './rotate-ca.js';
import { selfsignCommand } from './selfsign.js';
import { signCommand } from './sign.js';
import { versionCommand } from './version.js';

/** Makes one command, with its flags, help and action. */
export type CommandFactory = (context: CliContext) => Command;

/**
 * Every command by name, in the order `--help` lists them. Each module here defines a command's
 * flags and help and imports only commander and types; its action does one `await import()` of
 * `../actions/<name>.js` and calls its `run`, which imports the library statically. So `--help`
 * and `version` load almost nothing, and a command loads its own code, once, when it runs.
 * The names are here as well as in each module so that main builds only the command the line
 * names (test/cli/main.test.ts checks that they agree).
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, make: CommandFactory]> = [
  ['cluster-bundle', clusterBundleCommand],
  ['add-member', addMemberCommand],
  ['remove-member', removeMemberCommand],
  ['doctor', doctorCommand],
  ['check-expiration', checkExpirationCommand],
  ['renew', renewCommand],
  ['rotate-ca', rotateCaCommand],
  ['revoke', revokeCommand],
  ['gencert', gencertCommand],
  ['sign', signCommand],
  ['gencrl', gencrlCommand],
  ['genkey', genkeyCommand],
  ['gencsr', gencsrCommand],
  ['selfsign', selfsignCommand],
  ['certinfo', certinfoCommand],
  ['print-defaults', printDefaultsCommand],
  ['version', versionCommand],
  ['json', jsonCommand],
];
