import { ETCD_SETTINGS, type EtcdSettings } from '../settings.js';
import type { EtcdConfContext } from './etcd-conf.js';
import { MEMO_MIN_LENGTH, type RenderMemo } from './memo.js';

/**
 * A member's configuration as an etcd `--config-file` (YAML, etcd 3.4's keys), the same settings
 * as its etcd.conf. Transport settings nest under client- and peer-transport-security.
 */
export function renderEtcdYaml(settings: EtcdSettings, context: EtcdConfContext): string {
  const lines = [
    `# etcd.yaml of member ${context.member} in cluster "${context.token}", made by etcd-pki.`,
    '# The same settings as etcd.conf, for `etcd --config-file etcd.yaml`. With --config-file etcd',
    '# ignores every ETCD_* variable and other flag: use this file or etcd.conf, not both.',
  ];
  let group = '';
  for (const setting of ETCD_SETTINGS) {
    const dot = setting.yaml.indexOf('.');
    const value = yamlScalar(settings[setting.key], context.memo);
    if (dot < 0) {
      lines.push(`${setting.yaml}: ${value}`);
      continue;
    }
    const parent = setting.yaml.slice(0, dot);
    if (parent !== group) {
      group = parent;
      lines.push(`${parent}:`);
    }
    lines.push(`  ${setting.yaml.slice(dot + 1)}: ${value}`);
  }
  return lines.join('\n') + '\n';
}

/** A YAML scalar: booleans bare, strings single-quoted (`'` doubled, YAML 1.2 7.3.2). */
export function yamlScalar(value: string | boolean, memo?: RenderMemo): string {
  if (typeof value === 'boolean') return String(value);
  const known = memo?.quoted.get(value);
  if (known !== undefined) return known;
  const scalar = `'${value.replaceAll("'", "''")}'`;
  if (memo && value.length > MEMO_MIN_LENGTH) memo.quoted.set(value, scalar);
  return scalar;
}
