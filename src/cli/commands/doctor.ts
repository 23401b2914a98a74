import { Command } from 'commander';
import { PkiError } from '../../errors.js';
import { describeChecks } from '../../doctor/report.js';
import type { CliContext } from '../context.js';
import { goJson } from '../output.js';

interface DoctorFlags {
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
  return command.action(async (commandLine: string[], flags: DoctorFlags) => {
    const warnDays = Number(flags.warnDays);
    if (!/^\d+$/.test(flags.warnDays) || !Number.isSafeInteger(warnDays)) {
      throw new PkiError('USAGE', `-warn-days must be a whole number of days, not ${JSON.stringify(flags.warnDays)}`, {
        hint: '-warn-days 30',
      });
    }
    if (flags.bundle === undefined && flags.conf.length === 0 && commandLine.length === 0 && flags.endpoint.length === 0) {
      throw new PkiError('USAGE', 'doctor needs something to check', {
        hint: 'give -bundle DIR, -conf FILE, -endpoint URL, or an etcd command line after --',
      });
    }
    const configs = [...flags.conf.map((file) => ({ file })), ...(commandLine.length ? [{ argv: commandLine }] : [])];
    if (flags.root.length > 1 && flags.root.length !== configs.length) {
      throw new PkiError('USAGE', `${flags.root.length} -root directories for ${configs.length} configurations`, {
        hint: 'give one -root for all, or one per -conf (and one for the command line) in the same order',
      });
    }
    if ((flags.cert === undefined) !== (flags.key === undefined)) {
      throw new PkiError('USAGE', '-cert and -key go together', { hint: 'give both, or neither' });
    }
    const userExplicit = command.getOptionValueSource('user') === 'cli';

    const { gatherDoctorInput } = await import('../doctor-input.js');
    const input = await gatherDoctorInput(context, {
      bundle: flags.bundle,
      configs,
      roots: flags.root,
      user: flags.user,
      userExplicit,
      endpoints: flags.endpoint,
      cacert: flags.cacert,
      cert: flags.cert,
      key: flags.key,
    });
    const { runDoctor } = await import('../../doctor/doctor.js');
    const report = await runDoctor({ ...input, warnDays });
    if (flags.json) {
      context.output.stdout(
        goJson(
          {
            status: report.status,
            summary: report.summary,
            checkedAt: report.checkedAt,
            subjects: report.subjects,
            findings: report.findings,
          },
          '  ',
        ) + '\n',
      );
    } else {
      const { formatDoctorReport } = await import('../../doctor/report.js');
      context.output.stdout(formatDoctorReport(report, { showOk: !flags.brief }));
    }
    if (report.status === 'FAIL') {
      throw new PkiError('CHECK_FAILED', `doctor found ${report.summary.FAIL} problem(s) that make etcd or its clients fail`, {
        hint: 'apply the "fix" of each FAIL above, then run doctor again',
      });
    }
  });
}
