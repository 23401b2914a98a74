import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addMemberCommand } from './add-member.js';
import { certinfoCommand } from './certinfo.js';
import { checkExpirationCommand } from './check-expiration.js';
import { clusterBundleCommand } from './cluster-bundle.js';
import { doctorCommand } from './doctor.js';
import { gencertCommand } from './gencert.js';
import { gencsrCommand } from './gencsr.js';
import { genkeyCommand } from './genkey.js';
import { jsonCommand } from './json.js';
import { printDefaultsCommand } from './print-defaults.js';
import { renewCommand } from './renew.js';
import { rotateCaCommand } from './rotate-ca.js';
import { selfsignCommand } from './selfsign.js';
import { signCommand } from './sign.js';
import { versionCommand } from './version.js';

/**
 * Every command, in the order `--help` lists them. Each module defines its flags and help and
 * imports the library only inside its action, so `--help` and `version` load almost nothing.
 */
export const COMMANDS: ReadonlyArray<(context: CliContext) => Command> = [
  clusterBundleCommand,
  addMemberCommand,
  doctorCommand,
  checkExpirationCommand,
  renewCommand,
  rotateCaCommand,
  gencertCommand,
  signCommand,
  genkeyCommand,
  gencsrCommand,
  selfsignCommand,
  certinfoCommand,
  printDefaultsCommand,
  versionCommand,
  jsonCommand,
];
