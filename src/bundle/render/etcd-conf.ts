import { PkiError } from '../../errors.js';
import { ETCD_SETTINGS, type EtcdSettings } from '../settings.js';
import { MEMO_MIN_LENGTH, type RenderMemo } from './memo.js';

/** What the header of a member's etcd.conf names. */
export interface EtcdConfContext {
  readonly member: string;
  readonly token: string;
  /** Where the certificates live on the node. */
  readonly pkiDir: string;
  /** The plan's memo of cluster-wide values; default none (each value checked and quoted here). */
  readonly memo?: RenderMemo | undefined;
}

/**
 * A member's etcd.conf: the `ETCD_*` environment etcd reads at start, one `NAME="value"` line per
 * setting in the sections of the etcd.conf that etcd's RPM installs, usable as a systemd
 * `EnvironmentFile=` and by `set -a; . ./etcd.conf; set +a`.
 */
export function renderEtcdConf(settings: EtcdSettings, context: EtcdConfContext): string {
  const lines = [
    `# etcd.conf of member ${context.member} in cluster "${context.token}", made by etcd-pki.`,
    '# The ETCD_* environment etcd reads when it starts: install it as /etc/etcd/etcd.conf (the',
    "# EnvironmentFile of etcd's systemd unit; /etc/default/etcd on Debian). TLS is on for clients",
    `# and peers, both must present a certificate from the CA in ${context.pkiDir}.`,
  ];
  let section = '';
  for (const setting of ETCD_SETTINGS) {
    if (setting.section !== section) {
      section = setting.section;
      lines.push(`#[${section}]`);
    }
    lines.push(`${setting.env}=${envValue(setting.env, settings[setting.key], context.memo)}`);
  }
  return lines.join('\n') + '\n';
}

/** `"value"`: double-quoted, as systemd and sh both read it; values needing escapes are refused. */
export function envValue(name: string, value: string | boolean, memo?: RenderMemo): string {
  const text = String(value);
  if (!memo?.clean.has(text) && /["\\$`\n\r\0]/.test(text)) {
    throw new PkiError('INVALID_CLUSTER', `${name} would contain a character that needs escaping: ${JSON.stringify(text)}`, {
      hint: 'use plain names and paths',
    });
  }
  if (memo && text.length > MEMO_MIN_LENGTH) memo.clean.add(text);
  return `"${text}"`;
}
