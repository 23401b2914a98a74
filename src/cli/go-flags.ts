/** What go-flags needs to know about one option of a command. */
export interface FlagSpec {
  /** Long name without dashes (`ca-key`). */
  readonly name: string;
  /** True for boolean flags (`-initca`), which take no separate value. */
  readonly boolean: boolean;
}

/**
 * Rewrites Go `flag`-package spellings into the GNU spellings commander parses:
 * `-profile=peer` and `-profile peer` -> `--profile=peer` / `--profile peer`; `-initca=true` ->
 * `--initca`, `-initca=false` -> nothing. Only names the command knows are rewritten, so negative
 * numbers, `-` (stdin) and unknown flags reach commander unchanged (and get its error).
 * Everything after `--` is left alone.
 */
export function normaliseGoFlags(args: readonly string[], flags: readonly FlagSpec[]): string[] {
  const byName = new Map(flags.map((flag) => [flag.name, flag]));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const match = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    const flag = match ? byName.get(match[1]!) : undefined;
    if (!match || !flag || (match[1]!.length === 1 && !arg.startsWith('--'))) {
      out.push(arg);
      continue;
    }
    const value = match[2];
    if (flag.boolean) {
      if (value === undefined || /^(1|t|true|T|TRUE|True)$/.test(value)) out.push(`--${flag.name}`);
      else if (!/^(0|f|false|F|FALSE|False)$/.test(value)) out.push(`--${flag.name}=${value}`);
      continue;
    }
    out.push(value === undefined ? `--${flag.name}` : `--${flag.name}=${value}`);
  }
  return out;
}
