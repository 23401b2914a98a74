import { Option, type Command } from 'commander';

/** Options shared by every command that produces cfssl's `{cert, csr, key}` JSON. */
export interface OutputOptions {
  bare?: string;
  out?: string;
  dir?: string;
  force?: boolean;
  keyFormat?: 'cfssl' | 'pkcs8';
}

/** Adds -bare/--out, -dir, --force and --key-format to an issuing command. */
export function addOutputOptions(command: Command): Command {
  return command
    .option('--bare <name>', 'write NAME.pem, NAME-key.pem and NAME.csr instead of printing JSON (no cfssljson needed)')
    .option('--out <name>', 'same as --bare')
    .option('--dir <dir>', 'directory for --bare/--out files', '.')
    .option('--force', 'replace an existing private key (it is lost)')
    .addOption(
      new Option('--key-format <format>', 'private key encoding: cfssl (SEC1/PKCS#1, as cfssl) or pkcs8').choices(['cfssl', 'pkcs8']),
    );
}
