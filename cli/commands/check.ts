/** `genesis check`: judge synthesized artifacts against the policy rules and write a report. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_EXCEPTIONS_FILE,
  ExceptionsFileError,
  InputError,
  errorLines,
  exitCodeOf,
  runChecks,
  summaryTable,
  writeReport,
} from '../../policies';
import { CheckInputError, resolveCheckInput } from '../check-input';
import { failInput, parseOptions, UsageError, type Io } from '../usage';

export const HELP = `genesis check [DIR] [--exceptions FILE] [--now YYYY-MM-DD] [--targets aws,k8s] [--report DIR]

Judges the artifacts in DIR (default: dist/) against the policy rules: the CloudFormation cloud
assembly in DIR/aws and the Kubernetes manifests in DIR/k8s, and nothing else (not the spec), so
output edited by hand is judged as it stands. DIR may also be a CDK cloud assembly (cdk.out, from
\`npx cdk synth\`) or the cdk8s output (dist-cdk8s, from \`npx cdk8s synth\`): findings then name
its files as aws/<file> or k8s/<site>/<cluster>/<chart>.yaml. Writes DIR/report/ (findings.json,
findings.sarif, report.md), or the folder given with --report, and prints a summary.
  --report DIR       where to write the report (default: DIR/report)
  --exceptions FILE  reviewed exceptions (default: policies/exceptions.yaml of this repository)
  --now YYYY-MM-DD   the date exceptions are judged against (default: $GENESIS_NOW, else today)
  --targets LIST     the targets DIR must hold: aws, k8s or aws,k8s (default: both); a missing
                     expected target is an error finding (GEN-INPUT-001), one left out is absent
                     on purpose
Exit codes: 0 no error findings, 1 error findings, 2 unreadable input (no aws/ and no k8s/, or
none of the expected targets) or invalid exceptions.`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      exceptions: { type: 'string' },
      now: { type: 'string' },
      targets: { type: 'string' },
      report: { type: 'string' },
    },
    1,
  );
  if (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.now))
    throw new UsageError(`--now must be a date YYYY-MM-DD, not "${values.now}"`);
  const targets = values.targets === undefined ? undefined : values.targets.split(',').map((t) => t.trim());
  if (
    targets &&
    (targets.length === 0 ||
      targets.some((t) => t !== 'aws' && t !== 'k8s') ||
      new Set(targets).size !== targets.length)
  )
    throw new UsageError(`--targets must be aws, k8s or aws,k8s, not "${values.targets}"`);
  const dir = positionals[0] ?? 'dist';
  const exceptionsFile =
    values.exceptions ?? (fs.existsSync(DEFAULT_EXCEPTIONS_FILE) ? DEFAULT_EXCEPTIONS_FILE : undefined);
  let input;
  try {
    input = resolveCheckInput(dir);
  } catch (e) {
    if (e instanceof CheckInputError) return failInput(io, 'check', `unreadable input: ${e.message}`);
    throw e;
  }
  try {
    let result;
    try {
      result = runChecks(input.dir, {
        exceptionsFile,
        now: values.now ?? (process.env.GENESIS_NOW || undefined),
        targets: (targets ?? input.targets) as Array<'aws' | 'k8s'> | undefined,
      });
    } catch (e) {
      if (e instanceof ExceptionsFileError)
        return failInput(
          io,
          'check',
          `invalid exceptions file (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'})`,
          e.problems,
        );
      if (e instanceof InputError) return failInput(io, 'check', `unreadable input: ${e.message}`);
      throw e;
    }
    const reportDir = values.report ?? path.join(dir, 'report');
    await writeReport(input.dir, result, dir, reportDir);
    io.out(summaryTable(result));
    io.out(errorLines(result));
    const s = result.summary;
    io.result?.({
      checked: dir,
      input: input.kind,
      report: reportDir,
      summary: s,
      findings: result.findings
        .filter((f) => !f.suppression && f.severity === 'error')
        .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, ...f.location })),
    });
    io.out(
      `${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.suppressed} suppressed; report in ${reportDir}/\n`,
    );
    return exitCodeOf(result);
  } finally {
    input.dispose();
  }
}
