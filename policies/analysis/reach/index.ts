/**
 * Effective reachability of the artifacts, held to the declared intent. One analysis per artifact
 * set (cached): the AWS enclave network, the clusters' tenant reach, and the differences the rules
 * of the packs report (GEN-AWS-NET-020, GEN-K8S-TEN-030).
 */
import type { ArtifactSet, RuleContext } from '../../engine/types';
import { awsDifferences } from './aws-intent';
import { awsReach, type AwsReach } from './aws-reach';
import { readIntent, type Intent } from './intent';
import { k8sDifferences } from './k8s-intent';
import { k8sReach, type ClusterReach } from './k8s-reach';
import type { Difference } from './types';
import { memo } from '../../engine/memo';

export interface ReachAnalysis {
  readonly intent?: Intent;
  readonly aws?: AwsReach;
  readonly k8s: readonly ClusterReach[];
  readonly differences: readonly Difference[];
}

export function analyzeReach(artifacts: ArtifactSet): ReachAnalysis {
  return memo(artifacts, 'reach:analysis', () => buildReach(artifacts));
}

function buildReach(artifacts: ArtifactSet): ReachAnalysis {
  const ctx: RuleContext = { artifacts };
  const intent = readIntent(artifacts);
  const aws = artifacts.aws ? awsReach(ctx, intent) : undefined;
  const k8s = artifacts.k8s ? k8sReach(ctx, intent) : [];
  const differences: Difference[] = [];
  const first = artifacts.aws?.stacks[0];
  if (aws && first) {
    const fallback = { target: 'file', file: first.file, key: `aws:${first.stackName}` } as const;
    differences.push(...awsDifferences(ctx, aws, intent, fallback));
  }
  const withVpc = new Set((aws?.net.vpcs ?? []).map((v) => v.enclave));
  differences.push(...k8sDifferences(k8s, intent, withVpc));
  for (const p of intent?.problems ?? [])
    differences.push({
      target: 'aws',
      status: 'unknown',
      message: `intent: ${p}`,
      resource: { target: 'file', file: intent?.file ?? 'platform.json', key: 'intent' },
    });
  return { intent, aws, k8s, differences };
}

export { CidrSet, INTERNET, METADATA } from './cidr';
export type { Difference, Opening } from './types';
