import { PkiError } from '../errors.js';

/** One `KEY=value` line of an environment file. */
export interface EnvEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based. */
  readonly line: number;
}

/**
 * Reads an environment file as systemd's `EnvironmentFile=` and a shell's `. file` both read the
 * walkthrough's `/etc/etcd/etcd.conf`: `KEY=value`, `KEY="value"` or `KEY='value'`, an optional
 * `export `, blank lines and `#`/`;` comments; white space after a closing quote (the walkthrough
 * leaves some) and a trailing `# comment` are ignored. In double quotes `\"`, `\\` and `\$` are
 * unescaped.
 * @throws PkiError INVALID_CONFIG naming the file and line of a line that is none of these.
 */
export function parseEnvFile(text: string, file: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
    if (!match) {
      throw new PkiError('INVALID_CONFIG', `line ${line} is not KEY=value: ${JSON.stringify(trimmed)}`, {
        file,
        hint: 'write each setting as ETCD_NAME="etcd1", one per line',
      });
    }
    entries.push({ key: match[1]!, value: unquote(match[2]!, file, line), line });
  });
  return entries;
}

function unquote(text: string, file: string, line: number): string {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    let out = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i]!;
      if (c === quote) {
        const rest = text.slice(i + 1).trim();
        if (rest !== '' && !rest.startsWith('#')) {
          throw new PkiError('INVALID_CONFIG', `line ${line} has text after the closing quote: ${JSON.stringify(rest)}`, {
            file,
            hint: 'quote the whole value, or remove what follows it',
          });
        }
        return out;
      }
      if (quote === '"' && c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) {
        out += text[++i];
        continue;
      }
      out += c;
    }
    throw new PkiError('INVALID_CONFIG', `line ${line} has no closing ${quote}`, { file, hint: `end the value with ${quote}` });
  }
  // Unquoted: up to a " #" comment, trailing white space dropped.
  return text.replace(/\s+#.*$/, '').trim();
}
