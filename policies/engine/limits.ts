/** Service limits: error above the limit, warning from 80% of it. */
import type { ResourceRef, RuleResult, StackArtifact } from './types';

export const WARN_RATIO = 0.8;

export function limitResult(
  resource: ResourceRef,
  what: string,
  value: number,
  limit: number,
  unit = '',
): RuleResult | undefined {
  const u = unit ? ` ${unit}` : '';
  if (value > limit)
    return {
      resource,
      status: 'fail',
      severity: 'error',
      message: `${what} is ${value}${u}, above the limit of ${limit}${u}`,
    };
  if (value >= Math.ceil(limit * WARN_RATIO))
    return {
      resource,
      status: 'fail',
      severity: 'warning',
      message: `${what} is ${value}${u}, ${Math.round((value / limit) * 100)}% of the limit of ${limit}${u}`,
    };
  return undefined;
}

/** The stack as a whole, for limits of a template. */
export const stackRef = (stack: StackArtifact): ResourceRef => ({
  target: 'file',
  file: stack.file,
  key: `aws:${stack.stackName}`,
  line: 1,
});
