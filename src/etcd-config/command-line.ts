import { PkiError } from '../errors.js';
import { closest } from '../suggest.js';
import { BOOLEAN_FLAGS, ETCD_FLAGS, isEtcdFlag } from './etcd-flags.js';
import type { ConfigSettings, Setting, SettingProblem } from './model.js';

/** What a command-line configuration is called in messages. */
export const COMMAND_LINE = 'command line';

/**
 * Reads an etcd command line (`etcd --name etcd1 --cert-file=/etc/etcd/pki/etcd1.pem ...`) as Go's
 * `flag` package does: `-flag` or `--flag`, the value after `=` or as the next argument, boolean
 * flags true when named alone. A leading program name (`etcd`, `/usr/bin/etcd`) is skipped.
 * Unknown flags and stray arguments are problems (etcd refuses to start over them).
 */
export function parseEtcdCommandLine(argv: readonly string[]): ConfigSettings {
  // A string is iterable too, one character at a time: 50 MB of it would take gigabytes.
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string')) {
    throw new PkiError('INVALID_ARGUMENT', 'parseEtcdCommandLine takes the command line as an array of strings', {
      hint: 'split it first, e.g. ["etcd", "--name", "etcd1"]',
    });
  }
  const values = new Map<string, Setting>();
  const problems: SettingProblem[] = [];
  const args = argv.length > 0 && !argv[0]!.startsWith('-') && /(^|\/)etcd$/.test(argv[0]!) ? argv.slice(1) : [...argv];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--?([A-Za-z0-9][\w-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      problems.push({
        source: { file: COMMAND_LINE, key: arg },
        severity: 'FAIL',
        message: `etcd takes no argument ${JSON.stringify(arg)} (every setting is a --flag)`,
        fix: 'write it as --flag=value, or quote a value that contains spaces',
      });
      continue;
    }
    const name = match[1]!;
    const key = `--${name}`;
    if (!isEtcdFlag(name)) {
      const suggestion = closest(name, ETCD_FLAGS);
      problems.push({
        source: { file: COMMAND_LINE, key },
        severity: 'FAIL',
        message: `etcd 3.4 has no flag ${key} and refuses to start ("flag provided but not defined")`,
        fix: suggestion ? `did you mean --${suggestion}?` : 'check the spelling against `etcd --help`',
      });
      if (match[2] === undefined && i + 1 < args.length && !args[i + 1]!.startsWith('-')) i++;
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      if (BOOLEAN_FLAGS.has(name)) value = 'true';
      else if (i + 1 < args.length) value = args[++i]!;
      else {
        problems.push({
          source: { file: COMMAND_LINE, key },
          severity: 'FAIL',
          message: `${key} needs a value`,
          fix: `write ${key}=VALUE`,
        });
        continue;
      }
    }
    values.set(name, { value, source: { file: COMMAND_LINE, key } });
  }
  return { format: 'command-line', file: COMMAND_LINE, values, problems };
}
