import { cfn, tags } from '../../examples/builders';
import { datasetBuckets } from '../../analysis/dataset-buckets';
import { cfnResources, isRecord } from '../../engine/cfn/template';
import { strings } from '../../engine/iam';
import { defineRule } from '../../engine/rule-kit';
import { TAG } from '../../../infra/contract';

type Access = 'read' | 'write';

/** Which accesses to objects under `prefix` one advanced event selector records. */
function advancedCovers(selector: unknown, objectArn: string): Access[] {
  const fields =
    isRecord(selector) && Array.isArray(selector.FieldSelectors)
      ? selector.FieldSelectors.filter(isRecord)
      : [];
  let access: Access[] = ['read', 'write'];
  for (const f of fields) {
    const value = (name: string) =>
      name === 'eventCategory'
        ? 'Data'
        : name === 'resources.type'
          ? 'AWS::S3::Object'
          : name === 'resources.ARN'
            ? objectArn
            : undefined;
    if (f.Field === 'readOnly') {
      const eq = strings(f.Equals);
      if (eq.length) access = access.filter((a) => eq.includes(a === 'read' ? 'true' : 'false'));
      continue;
    }
    const v = value(String(f.Field));
    // A field the analysis does not model (eventName, userIdentity...) narrows the selector: not counted.
    if (v === undefined) return [];
    if (f.Equals !== undefined && !strings(f.Equals).includes(v)) return [];
    if (f.StartsWith !== undefined && !strings(f.StartsWith).some((p) => v.startsWith(p))) return [];
    if (f.NotEquals !== undefined && strings(f.NotEquals).includes(v)) return [];
    if (f.NotStartsWith !== undefined && strings(f.NotStartsWith).some((p) => v.startsWith(p))) return [];
    if (f.EndsWith !== undefined || f.NotEndsWith !== undefined) return [];
  }
  return access;
}

/** Accesses one classic event selector records on objects under the bucket. */
function classicCovers(selector: unknown, objectArn: string): Access[] {
  if (!isRecord(selector) || !Array.isArray(selector.DataResources)) return [];
  const covers = selector.DataResources.some(
    (d) =>
      isRecord(d) && d.Type === 'AWS::S3::Object' && strings(d.Values).some((p) => objectArn.startsWith(p)),
  );
  if (!covers) return [];
  const rw = selector.ReadWriteType ?? 'All';
  return rw === 'All' ? ['read', 'write'] : rw === 'ReadOnly' ? ['read'] : ['write'];
}

const trail = (extra: Record<string, unknown>) => ({
  Type: 'AWS::CloudTrail::Trail',
  Properties: { IsLogging: true, S3BucketName: 'logs', ...extra },
});
const bucket = {
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: 'genesis-d',
    Tags: tags({ [TAG.dataset]: 'd', [TAG.classification]: 'cui' }),
  },
};
const advanced = (fields: unknown[]) => ({
  AdvancedEventSelectors: [
    {
      Name: 'data',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        ...fields,
      ],
    },
  ],
});

export default defineRule({
  id: 'GEN-AWS-EFF-004',
  title: 'CloudTrail records every object read and write of each restricted dataset bucket',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['AU-2', 'AU-12', 'AU-3'],
  rationale:
    'Access to CUI and export-controlled data must be attributable: S3 data events are off by default, so a trail whose selectors no longer name a restricted dataset bucket, record only reads or only writes, or that has stopped logging, leaves access to that data unrecorded.',
  remediation:
    "Restore the site's dataset-access trail (IsLogging true, an advanced selector for Data events on AWS::S3::Object whose resources.ARN StartsWith the bucket's ARN and '/', reads and writes).",
  *check(ctx) {
    const trails = [...cfnResources(ctx, 'AWS::CloudTrail::Trail')].filter(
      (t) => t.props.IsLogging !== false,
    );
    for (const b of datasetBuckets(ctx).filter((x) => x.restricted)) {
      if (typeof b.arn !== 'string') continue;
      const objectArn = `${b.arn}/any-object`;
      const covered = new Set<Access>();
      for (const t of trails.filter(
        (x) => x.stack.account === b.item.stack.account && x.stack.region === b.item.stack.region,
      )) {
        for (const s of Array.isArray(t.props.AdvancedEventSelectors) ? t.props.AdvancedEventSelectors : [])
          advancedCovers(s, objectArn).forEach((a) => covered.add(a));
        for (const s of Array.isArray(t.props.EventSelectors) ? t.props.EventSelectors : [])
          classicCovers(s, objectArn).forEach((a) => covered.add(a));
      }
      const gaps = (['read', 'write'] as const).filter((a) => !covered.has(a));
      if (gaps.length)
        yield {
          resource: b.item.ref,
          status: 'fail',
          message: `dataset ${b.dataset}: no logging trail records object ${gaps.join(' and ')} events of ${b.arn}`,
        };
    }
  },
  examples: [
    {
      name: 'a trail whose selector starts with the bucket ARN',
      artifacts: cfn({
        B: bucket,
        T: trail(advanced([{ Field: 'resources.ARN', StartsWith: ['arn:aws-us-gov:s3:::genesis-d/'] }])),
      }),
      expect: { fires: false },
    },
    {
      name: 'the bucket left out of the selector',
      artifacts: cfn({
        B: bucket,
        T: trail(advanced([{ Field: 'resources.ARN', StartsWith: ['arn:aws-us-gov:s3:::genesis-other/'] }])),
      }),
      expect: { fires: true, message: /no logging trail records object read and write events/ },
    },
    {
      name: 'reads only',
      artifacts: cfn({ B: bucket, T: trail(advanced([{ Field: 'readOnly', Equals: ['true'] }])) }),
      expect: { fires: true, message: /object write events/ },
    },
    {
      name: 'the trail stopped',
      artifacts: cfn({ B: bucket, T: trail({ IsLogging: false, ...advanced([]) }) }),
      expect: { fires: true, message: /dataset d: no logging trail records object read and/ },
    },
  ],
});
