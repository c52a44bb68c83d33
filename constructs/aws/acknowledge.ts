/**
 * `Validations.of(scope).acknowledge(...)` without the stack trace aws-cdk-lib 2.276 records with
 * each acknowledged rule (`recordAcknowledgment` formats the whole call stack, even with stack
 * traces disabled). The app removes every trace from the construct metadata before synthesis
 * (stacks/aws/app.ts, `DropMetadataTraces`), so the trace is never written: formatting it showed
 * as about 0.3 s per 500 tenant stacks in a worker's profile. The acknowledgement itself (rule,
 * reason, the annotation it silences) is recorded as before.
 */
import { type Acknowledgment, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, ...rules: Acknowledgment[]): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    Validations.of(scope).acknowledge(...rules);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
