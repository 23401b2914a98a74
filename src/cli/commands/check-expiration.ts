import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** check-expiration's flags, as commander hands them to the action. */
export interface CheckExpirationFlags {
  bundle?: string;
  out?: string;
  conf: string[];
  endpoint: string[];
  verify?: boolean;
  cert?: string;
  key?: string;
  threshold: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
/** The bundle check-expiration reads when it is given nothing else to check. */
export const DEFAULT_BUNDLE = 'etcd-pki-out';

/** `check-expiration`: every certificate of a bundle, a deployment or live endpoints, most urgent first. */
export function checkExpirationCommand(context: CliContext): Command {
  const command = new Command('check-expiration')
    .description('list certificates by expiry (bundle, deployed configuration or live endpoints); exit 6 within the threshold')
    .option('--bundle <dir>', `a cluster-bundle directory (default ${DEFAULT_BUNDLE} when nothing else is given)`)
    .option('--out <dir>', 'the same as -bundle, as cluster-bundle and renew spell it')
    .option(
      '--conf <file>',
      "a member's etcd.conf / etcd.yaml or a client's .env as deployed: the certificates it names (repeatable)",
      collect,
      [],
    )
    .option(
      '--endpoint <url>',
      'a live client or peer URL, e.g. https://192.168.0.91:2379: the certificate it serves (repeatable)',
      collect,
      [],
    )
    .option('--verify', "probe every member's advertised client and peer URL from the bundle's manifest")
    .option('--cert <file>', "client certificate to present to endpoints (default: the bundle's first client's)")
    .option('--key <file>', 'its key')
    .option('--threshold <duration>', 'report certificates expiring within this as EXPIRING and exit 6: 720h, 30d', '30d')
    .option('--json', 'print the report as JSON');
  command.addHelpText(
    'after',
    `
The exit status is 6 when a certificate has expired or expires within the threshold, and 1
when a configured certificate file cannot be read (and none is expiring).

Examples:
  etcd-pki check-expiration -bundle etcd-pki-out
  etcd-pki check-expiration -conf /etc/etcd/etcd.conf -threshold 60d
  etcd-pki check-expiration -bundle etcd-pki-out -verify
  etcd-pki check-expiration -endpoint https://192.168.0.91:2379 -cert etcdctl.pem -key etcdctl-key.pem`,
  );
  return command.action(async (flags: CheckExpirationFlags) => (await import('../actions/check-expiration.js')).run(context, flags));
}
