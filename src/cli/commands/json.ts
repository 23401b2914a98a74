import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import { readTextInput } from '../../io/input.js';
import type { CliContext } from '../context.js';

interface JsonOptions {
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
    .argument('[basename]', 'base name of the files', 'cert')
    .option('--bare', 'the input is cfssl\'s bare output ({"cert":...}), not an API response')
    .option('-f <file>', 'read the JSON from FILE instead of stdin')
    .option('--stdout', 'print the PEM objects instead of writing files')
    .option('--dir <dir>', 'directory for the files', '.')
    .option('--force', 'replace an existing private key (it is lost)')
    .addHelpText('after', '\nExample:\n  etcd-pki gencert -initca rootca-csr.json | etcd-pki json -bare rootca')
    .action(async (basename: string, options: JsonOptions) => {
      const file = options.f ?? '-';
      const text = await readTextInput(file, context.stdin);
      const { parseJsonStrict } = await import('../../json.js');
      const parsed = parseJsonStrict(text, file === '-' ? 'standard input' : file) as Record<string, unknown> | null;
      const output = unwrap(parsed, options.bare ?? false, file);
      if (options.stdout) {
        for (const key of ['cert', 'csr', 'key', 'bundle'] as const) if (output[key]) context.output.stdout(output[key]);
        return;
      }
      const [{ assertPlainName }, { cfssljsonFiles }, { writeFileSet }] = await Promise.all([
        import('../../io/safe-path.js'),
        import('../../io/cfssljson-names.js'),
        import('../../io/write-files.js'),
      ]);
      assertPlainName(basename, 'base name');
      const files = cfssljsonFiles(basename, output);
      if (files.length === 0) {
        throw new PkiError('INVALID_JSON', 'the input holds no certificate, request or key', {
          file,
          hint: 'pipe the output of gencert, sign, genkey or selfsign into it',
        });
      }
      await writeFileSet(options.dir ?? '.', { files }, { force: options.force ?? false, inFlight: context.inFlight });
    });
}

function unwrap(parsed: Record<string, unknown> | null, bare: boolean, file: string): Record<'cert' | 'csr' | 'key' | 'bundle', string | undefined> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PkiError('INVALID_JSON', 'expected a JSON object', { file });
  }
  let body: Record<string, unknown> = parsed;
  if (!bare) {
    if (parsed.success === false) {
      const errors = JSON.stringify(parsed.errors ?? []);
      throw new PkiError('INVALID_JSON', `the API response reports failure: ${errors}`, { file });
    }
    body = (parsed.result as Record<string, unknown> | undefined) ?? parsed;
  }
  const text = (key: string) => {
    const value = body[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    if (key === 'bundle' && typeof value === 'object' && typeof (value as { bundle?: unknown }).bundle === 'string') {
      return (value as { bundle: string }).bundle;
    }
    throw new PkiError('INVALID_JSON', `"${key}" must be a string`, { file, path: `/${key}` });
  };
  return { cert: text('cert'), csr: text('csr'), key: text('key'), bundle: text('bundle') };
}
