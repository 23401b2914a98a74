import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** json's flags, as commander hands them to the action. */
export interface JsonOptions {
  bare?: boolean;
  f?: string;
  stdout?: boolean;
  dir?: string;
  force?: boolean;
}

/** `json`: what cfssljson does, so the pipe needs no second binary. */
export function jsonCommand(context: CliContext): Command {
  return new Command('json')
    .description("write cfssl's JSON output to files (cfssljson): BASE.pem, BASE-key.pem (0600), BASE.csr")
    .argument('[basename]', 'base name of the files (may name a directory: certs/ca), default cert')
    .argument('[ignored...]', "further arguments are ignored, as cfssljson ignores them (the guides' trailing -)")
    .option('--bare', 'the input is cfssl\'s bare output ({"cert":...}), not an API response')
    .option('-f <file>', 'read the JSON from FILE instead of stdin')
    .option('--stdout', 'print the PEM objects instead of writing files')
    .option('--dir <dir>', 'directory for the files', '.')
    .option('--force', 'replace an existing private key (it is lost)')
    .addHelpText('after', '\nExample:\n  etcd-pki gencert -initca rootca-csr.json | etcd-pki json -bare rootca')
    .action(async (basenameArg: string | undefined, _ignored: string[], options: JsonOptions) =>
      (await import('../actions/json.js')).run(context, basenameArg, options),
    );
}
