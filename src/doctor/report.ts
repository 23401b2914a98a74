import { printable } from '../printable.js';
import { CHECKS } from './findings.js';
import type { DoctorReport } from './doctor.js';

export interface FormatReportOptions {
  /** Print OK findings too; default true. */
  readonly showOk?: boolean;
}

/**
 * The readable report: one section per member, client and endpoint, each finding as
 * `FAIL  check.id  evidence` with its fix below, then a summary line.
 */
export function formatDoctorReport(report: DoctorReport, options: FormatReportOptions = {}): string {
  const showOk = options.showOk ?? true;
  const lines: string[] = [];
  const subjects = [...report.subjects];
  for (const finding of report.findings) if (!subjects.includes(finding.member)) subjects.push(finding.member);
  for (const subject of subjects) {
    const findings = report.findings.filter((f) => f.member === subject);
    if (findings.length === 0) continue;
    const kind = findings[0]!.kind;
    const counts = (['FAIL', 'WARN', 'OK'] as const).map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
    // Subjects, evidence and fixes quote certificate fields and configuration values: escaped.
    lines.push(`${kind} ${printable(subject)}  (${counts})`);
    const order = { FAIL: 0, WARN: 1, OK: 2 } as const;
    for (const finding of [...findings].sort((a, b) => order[a.severity] - order[b.severity])) {
      if (finding.severity === 'OK' && !showOk) continue;
      lines.push(`  ${finding.severity.padEnd(4)}  ${finding.check.padEnd(29)} ${printable(finding.evidence)}`);
      if (finding.fix) lines.push(`  ${''.padEnd(4)}  ${'fix:'.padEnd(29)} ${printable(finding.fix)}`);
    }
    lines.push('');
  }
  const { OK, WARN, FAIL } = report.summary;
  lines.push(
    `${FAIL} FAIL, ${WARN} WARN, ${OK} OK: ${report.status === 'FAIL' ? 'etcd or its clients will fail; fix every FAIL above' : report.status === 'WARN' ? 'etcd will work; the warnings above are worth fixing' : 'no problem found'}`,
  );
  return lines.join('\n') + '\n';
}

/** `check.id  what it checks`, for `doctor --help` and docs/doctor.md. */
export function describeChecks(): string {
  return Object.entries(CHECKS)
    .map(([id, text]) => `  ${id.padEnd(31)} ${text}`)
    .join('\n');
}
