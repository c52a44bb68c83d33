/**
 * The largest item of each AWS service limit in a synthesized folder, measured as the policy rules
 * measure it (resolved documents, deploy-time values at their deployed length): the benchmark
 * reports how close the largest platform comes to each limit.
 */
import { loadArtifacts } from '../../policies/engine/load';
import { cfnResources } from '../../policies/engine/cfn/template';
import { asArray, isRecord, policySize } from '../../policies/engine/rule-kit';
import type { RuleContext } from '../../policies/engine/types';

export interface Margin {
  readonly limit: string;
  readonly max: number;
  readonly value: number;
  readonly where: string;
}

function largest(limit: string, max: number, items: Iterable<[number, string]>): Margin {
  let best: Margin = { limit, max, value: 0, where: '-' };
  for (const [value, where] of items) if (value > best.value) best = { limit, max, value, where };
  return best;
}

function* sized(
  ctx: RuleContext,
  type: string,
  size: (props: Record<string, unknown>) => number,
): Generator<[number, string]> {
  for (const r of cfnResources(ctx, type)) yield [size(r.props), `${r.stack.stackName}/${r.logicalId}`];
}

export function limitMargins(dir: string): Margin[] {
  const artifacts = loadArtifacts(dir);
  const ctx: RuleContext = { artifacts };
  const stacks = artifacts.aws?.stacks ?? [];
  const count = (o: unknown): number => (isRecord(o) ? Object.keys(o).length : 0);
  return [
    largest(
      'resources per stack',
      500,
      stacks.map((s) => [count(s.template.Resources), s.stackName]),
    ),
    largest(
      'outputs per stack',
      200,
      stacks.map((s) => [count(s.template.Outputs), s.stackName]),
    ),
    largest(
      'template bytes',
      1_000_000,
      stacks.map((s) => [s.bytes, s.stackName]),
    ),
    largest(
      'managed policy chars',
      6144,
      sized(ctx, 'AWS::IAM::ManagedPolicy', (p) => policySize(p.PolicyDocument)),
    ),
    largest(
      'role inline policies chars',
      10_240,
      sized(ctx, 'AWS::IAM::Role', (p) =>
        asArray(p.Policies).reduce<number>((n, x) => n + (isRecord(x) ? policySize(x.PolicyDocument) : 0), 0),
      ),
    ),
    largest(
      'trust policy chars',
      2048,
      sized(ctx, 'AWS::IAM::Role', (p) => policySize(p.AssumeRolePolicyDocument)),
    ),
    largest(
      'bucket policy bytes',
      20_480,
      sized(ctx, 'AWS::S3::BucketPolicy', (p) => policySize(p.PolicyDocument)),
    ),
    largest(
      'key policy bytes',
      32_768,
      sized(ctx, 'AWS::KMS::Key', (p) => policySize(p.KeyPolicy)),
    ),
  ];
}
