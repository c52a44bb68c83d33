/** `genesis check`: judge synthesized artifacts against the policy rules and write a report. */
import * as fs from 'node:fs';
import { DEFAULT_EXCEPTIONS_FILE, InputError, errorLines, exitCodeOf, runChecks, summaryTable, writeReport } from '../../policies';
import { EXIT_INVALID, parseOptions, UsageError, type Io } from '../usage';

export const HELP = `genesis check [DIR] [--exceptions FILE] [--now YYYY-MM-DD] [--targets aws,k8s]

Judges the artifacts in DIR (default: dist/) against the policy rules: the CloudFormation cloud
assembly in DIR/aws and the Kubernetes manifests in DIR/k8s, and nothing else (not the spec), so
output edited by hand is judged as it stands. Writes DIR/report/ (findings.json, findings.sarif,
report.md) and prints a summary.
  --exceptions FILE  reviewed exceptions (default: policies/exceptions.yaml of this repository)
  --now YYYY-MM-DD   the date exceptions are judged against (default: today, UTC)
  --targets LIST     the targets DIR must hold: aws, k8s or aws,k8s (default: both); a missing
                     expected target is an error finding (GEN-INPUT-001), one left out is absent
                     on purpose
Exit codes: 0 no error findings, 1 error findings, 2 unreadable input (no aws/ and no k8s/, or
none of the expected targets) or invalid exceptions.`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, { exceptions: { type: 'string' }, now: { type: 'string' }, targets: { type: 'string' } }, 1);
  if (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.now)) throw new UsageError(`--now must be a date YYYY-MM-DD, not "${values.now}"`);
  const targets = values.targets === undefined ? undefined : values.targets.split(',').map((t) => t.trim());
  if (targets && (targets.length === 0 || targets.some((t) => t !== 'aws' && t !== 'k8s') || new Set(targets).size !== targets.length))
    throw new UsageError(`--targets must be aws, k8s or aws,k8s, not "${values.targets}"`);
  const dir = positionals[0] ?? 'dist';
  const exceptionsFile = values.exceptions ?? (fs.existsSync(DEFAULT_EXCEPTIONS_FILE) ? DEFAULT_EXCEPTIONS_FILE : undefined);
  let result;
  try {
    result = runChecks(dir, { exceptionsFile, now: values.now, targets: targets as Array<'aws' | 'k8s'> | undefined });
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`genesis check: unreadable input: ${e.message}\n`);
      return EXIT_INVALID;
    }
    throw e;
  }
  const reportDir = await writeReport(dir, result, dir);
  io.out(summaryTable(result));
  io.out(errorLines(result));
  const s = result.summary;
  io.out(`${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.suppressed} suppressed; report in ${reportDir}/\n`);
  return exitCodeOf(result);
}
