import { runDoctor } from '../../doctor/doctor.js';
import { formatDoctorReport } from '../../doctor/report.js';
import { PkiError } from '../../errors.js';
import type { DoctorFlags } from '../commands/doctor.js';
import type { CliContext } from '../context.js';
import { gatherDoctorInput } from '../doctor-input.js';
import { goJson } from '../output.js';

/**
 * `doctor`: see commands/doctor.ts for its flags; `userExplicit` is -user given on the line (not
 * its default).
 */
export async function run(context: CliContext, commandLine: string[], flags: DoctorFlags, userExplicit: boolean): Promise<void> {
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
    context.output.stdout(formatDoctorReport(report, { showOk: !flags.brief }));
  }
  if (report.status === 'FAIL') {
    throw new PkiError('CHECK_FAILED', `doctor found ${report.summary.FAIL} problem(s) that make etcd or its clients fail`, {
      hint: 'apply the "fix" of each FAIL above, then run doctor again',
    });
  }
}
