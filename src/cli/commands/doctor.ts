import { Command } from 'commander';
import { describeChecks } from '../../doctor/report.js';
import type { CliContext } from '../context.js';

/** doctor's flags, as commander hands them to the action. */
export interface DoctorFlags {
  bundle?: string;
  conf: string[];
  root: string[];
  user: string;
  endpoint: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  json?: boolean;
  warnDays: string;
  brief?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `doctor`: reads what is deployed (a cluster-bundle directory, members' etcd.conf / etcd.yaml
 * files, or an etcd command line, and the files they name) and, optionally, a live endpoint, and
 * reports for each member what is wrong and the exact fix. Exits 6 when anything FAILs.
 */
export function doctorCommand(context: CliContext): Command {
  const command = new Command('doctor')
    .description('check deployed etcd TLS configuration against its certificates, before etcd does')
    .argument('[etcd-command-line...]', 'an etcd command line after --, e.g. -- etcd --name etcd1 --cert-file ...')
    .option('--bundle <dir>', 'a cluster-bundle output directory (every member and client in it)')
    .option(
      '--conf <file>',
      "a member's ETCD_* environment file or etcd YAML config, or a client's ETCDCTL_* file (repeat for each)",
      collect,
      [],
    )
    .option(
      '--root <dir>',
      "read absolute paths under DIR (a copy of a node's files); once for all, or once per -conf in order",
      collect,
      [],
    )
    .option('--user <name>', 'the user etcd runs as, whose access to the files is checked', 'etcd')
    .option('--endpoint <url>', 'a live endpoint to connect to, e.g. https://192.168.0.91:2379 or :2380 (repeatable)', collect, [])
    .option('--cacert <file>', 'CA certificate to verify the endpoint with (as etcdctl --cacert)')
    .option('--cert <file>', 'client certificate to present to the endpoint (as etcdctl --cert)')
    .option('--key <file>', 'key of the client certificate (as etcdctl --key)')
    .option('--warn-days <n>', 'warn about certificates that expire within N days', '30')
    .option('--brief', 'print only WARN and FAIL findings')
    .option('--json', 'print the findings as JSON');
  command.addHelpText(
    'after',
    `
Each finding is OK, WARN or FAIL, names its check, shows the evidence (files, settings and
where they are set) and, unless OK, the fix. The exit status is 6 when anything FAILs (1 for
wrong input, 2 for wrong usage).

Examples:
  etcd-pki doctor -bundle etcd-pki-out
  etcd-pki doctor -conf /etc/etcd/etcd.conf -user etcd
  etcd-pki doctor -conf node1/etc/etcd/etcd.conf -root node1 -conf node2/etc/etcd/etcd.conf -root node2
  etcd-pki doctor -endpoint https://192.168.0.91:2379 -cacert ca.pem -cert etcdctl.pem -key etcdctl-key.pem
  etcd-pki doctor -- etcd --name etcd1 --cert-file /etc/etcd/pki/etcd1.pem --key-file ...

Checks:
${describeChecks()}`,
  );
  return command.action(async (commandLine: string[], flags: DoctorFlags) =>
    (await import('../actions/doctor.js')).run(context, commandLine, flags, command.getOptionValueSource('user') === 'cli'),
  );
}
