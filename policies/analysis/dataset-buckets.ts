/** Dataset buckets of the assembly (tagged genesis:dataset), their tier and classification, and the deny statements they must hold. */
import { isUnknown } from '../engine/cfn/resolve';
import { attValue, cfnResources, tagsOf, type CfnItem } from '../engine/cfn/template';
import { conditionEntries, globMatch, strings, type Statement } from '../engine/iam';
import { principalsOf, RESTRICTED_CLASSIFICATIONS, TAG } from '../engine/rule-kit';
import type { RuleContext } from '../engine/types';

export interface DatasetBucket {
  readonly item: CfnItem;
  readonly dataset: string;
  readonly tier: string | undefined;
  readonly restricted: boolean;
  readonly arn: unknown;
}

export function datasetBuckets(ctx: RuleContext): DatasetBucket[] {
  const out: DatasetBucket[] = [];
  for (const b of cfnResources(ctx, 'AWS::S3::Bucket')) {
    const tags = tagsOf(b.props);
    const dataset = tags.get(TAG.dataset);
    if (typeof dataset !== 'string') continue;
    const tier = tags.get(TAG.tier);
    out.push({
      item: b,
      dataset,
      tier: typeof tier === 'string' ? tier : undefined,
      restricted: RESTRICTED_CLASSIFICATIONS.includes(String(tags.get(TAG.classification))),
      arn: attValue(b, 'Arn'),
    });
  }
  return out;
}

/** A deny the platform writes, described by its effect: the actions it must cover and a condition it tests. */
export interface RequiredDeny {
  readonly what: string;
  /** Concrete actions the deny must cover. */
  readonly actions: readonly string[];
  /** The condition it denies under: operator (prefix, case-insensitive), key, and the values, if they matter. */
  readonly condition: {
    readonly operator: string;
    readonly key: string;
    readonly values?: readonly string[];
  };
}

/** Whether a statement is a Deny to everyone that covers the actions, under the condition. */
export function denies(s: Statement, d: RequiredDeny): boolean {
  if (s.Effect !== 'Deny' || s.NotAction !== undefined || s.NotPrincipal !== undefined) return false;
  if (!principalsOf(s).aws.includes('*')) return false;
  const actions = strings(s.Action);
  if (!d.actions.every((a) => actions.some((p) => globMatch(p.toLowerCase(), a.toLowerCase())))) return false;
  return conditionEntries(s).some((c) => {
    const key = d.condition.key.toLowerCase();
    // A key ending in ':' names a family (aws:PrincipalTag/genesis:data-key:<key>).
    const keyMatches = key.endsWith(':') ? c.key.startsWith(key) : c.key === key;
    if (!c.operator.toLowerCase().startsWith(d.condition.operator.toLowerCase()) || !keyMatches) return false;
    if (!d.condition.values) return true;
    const values = strings(c.value).sort();
    return !isUnknown(c.value) && JSON.stringify(values) === JSON.stringify([...d.condition.values].sort());
  });
}

/** The denies the platform writes into a dataset bucket's policy. */
export function bucketDenies(dataset: string): RequiredDeny[] {
  const grant = `aws:PrincipalTag/genesis:grant:${dataset}`;
  return [
    {
      what: 'data access from outside the enclave networks',
      actions: ['s3:GetObject', 's3:PutObject'],
      condition: { operator: 'StringNotEquals', key: 'aws:SourceVpce' },
    },
    {
      what: 'data access by principals other than the grantee roles',
      actions: ['s3:GetObject', 's3:PutObject'],
      condition: { operator: 'ArnNotLike', key: 'aws:PrincipalArn' },
    },
    {
      what: 'reads without a grant',
      actions: ['s3:GetObject'],
      condition: { operator: 'StringNotEquals', key: grant, values: ['read', 'write'] },
    },
    {
      what: 'writes without a write grant',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      condition: { operator: 'StringNotEquals', key: grant, values: ['write'] },
    },
    {
      what: 'writes under another KMS key',
      actions: ['s3:PutObject'],
      condition: { operator: 'StringNotEquals', key: 's3:x-amz-server-side-encryption-aws-kms-key-id' },
    },
    {
      what: 'writes with customer-provided keys',
      actions: ['s3:PutObject'],
      condition: {
        operator: 'Null',
        key: 's3:x-amz-server-side-encryption-customer-algorithm',
        values: ['false'],
      },
    },
  ];
}

/** The denies the platform writes into the policy of a dataset key (the key of a dataset bucket). */
export const KEY_DENIES: readonly RequiredDeny[] = [
  {
    what: 'use of the key by principals other than the grantee roles',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    condition: { operator: 'ArnNotLike', key: 'aws:PrincipalArn' },
  },
  {
    what: 'decryption without a read grant on the key',
    actions: ['kms:Decrypt'],
    condition: {
      operator: 'StringNotEquals',
      key: 'aws:PrincipalTag/genesis:data-key:',
      values: ['read', 'write'],
    },
  },
  {
    what: 'encryption without a write grant on the key',
    actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
    condition: { operator: 'StringNotEquals', key: 'aws:PrincipalTag/genesis:data-key:', values: ['write'] },
  },
];
