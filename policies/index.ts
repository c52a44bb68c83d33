/**
 * The policy engine: rules over synthesized artifacts (a CDK cloud assembly and Kubernetes YAML),
 * never over the platform model.
 *
 * - `runChecks(dir, { exceptionsFile, now })` judges <dir>/aws and <dir>/k8s;
 * - `writeReport(dir, result)` writes <dir>/report/ (findings.json, findings.sarif, report.md);
 * - `GenesisPolicyPlugin` runs the AWS rules inside CDK synthesis.
 */
import * as path from 'node:path';

export {
  runChecks,
  checkArtifacts,
  exitCodeOf,
  todayUtc,
  type CheckOptions,
  type CheckResult,
  type Summary,
} from './engine/checks';
export { InputError } from './engine/errors';
export { ExceptionsFileError, type ExceptionProblem } from './engine/exceptions';
export { loadArtifacts, writtenDocuments, type ParsedManifests } from './engine/load';
export { writeReport } from './report/write';
export { summaryTable, errorLines } from './report/table';
export { toSarif } from './report/sarif';
export { RULES, AWS_RULES } from './registry';
export { GenesisPolicyPlugin } from './cdk/GenesisPolicyPlugin';
export type { Finding, Rule, Severity } from './engine/types';

/** The reviewed exceptions file of the repository. */
export const DEFAULT_EXCEPTIONS_FILE: string = path.join(__dirname, 'exceptions.yaml');
