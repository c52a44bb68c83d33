import { defineRule } from '../../engine/rule-kit';
import { CLASSIFICATION_RANK, VpcIndex, type ClassificationClaim } from '../../engine/network';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn, tags } from '../../examples/builders';
import { TAG } from '../../../infra/contract';

const vpc = (t: Record<string, string>) => ({
  Type: 'AWS::EC2::VPC',
  Properties: { CidrBlock: '10.41.0.0/16', Tags: tags(t) },
});
const subnet = (t: Record<string, string>) => ({
  Type: 'AWS::EC2::Subnet',
  Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.41.0.0/24', Tags: tags(t) },
});
const bucket = (t: Record<string, string>) => ({ Type: 'AWS::S3::Bucket', Properties: { Tags: tags(t) } });

export default defineRule({
  id: 'GEN-AWS-NET-010',
  title: "A VPC's classification agrees with its enclave and the resources in it",
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'SC-16', 'CM-8', 'AC-4'],
  rationale:
    "The network rules decide whether a VPC is a restricted enclave; a VPC's own genesis:classification tag alone is one edit away from turning a CUI enclave public. Its subnets, endpoints, security groups, flow logs, clusters and the datasets of its enclave say what it holds: a VPC with no classification, or one lower than what it holds, is wrong.",
  remediation:
    'Tag every VPC with genesis:classification (public, cui or export-controlled) at least as high as the classification of each resource placed in it and of each resource tagged with its genesis:enclave.',
  *check(ctx) {
    const index = new VpcIndex(ctx);
    for (const v of index.all()) {
      const e = index.evidenceOf(v);
      if (isUnknown(e.own)) {
        yield {
          resource: v.ref,
          status: 'unknown',
          message: `could not decide the classification tag of the VPC: ${e.own.reason}`,
        };
        continue;
      }
      const ownRank = typeof e.own === 'string' ? CLASSIFICATION_RANK.get(e.own) : undefined;
      const higher = e.claims.filter(
        (c) => ownRank === undefined || (CLASSIFICATION_RANK.get(c.value) ?? Infinity) > ownRank,
      );
      const said = (cs: readonly ClassificationClaim[]) =>
        cs
          .slice(0, 3)
          .map((c) => `${c.source} is ${c.value}`)
          .join(', ') + (cs.length > 3 ? ` and ${cs.length - 3} more` : '');
      if (e.own === undefined)
        yield {
          resource: v.ref,
          status: 'fail',
          message: `VPC carries no genesis:classification tag${e.claims.length ? ` (${said(e.claims)})` : ''}`,
        };
      else if (ownRank === undefined)
        yield {
          resource: v.ref,
          status: 'fail',
          message: `VPC has unrecognised classification ${JSON.stringify(e.own)}`,
        };
      else if (higher.length > 0)
        yield {
          resource: v.ref,
          status: 'fail',
          message: `VPC is tagged ${String(e.own)} but ${said(higher)}`,
        };
    }
  },
  examples: [
    {
      name: 'a cui VPC with a cui subnet of its enclave',
      artifacts: cfn({
        Vpc: vpc({ [TAG.classification]: 'cui', [TAG.enclave]: 'e' }),
        Sub: subnet({ [TAG.classification]: 'cui', [TAG.enclave]: 'e' }),
      }),
      expect: { fires: false },
    },
    // a CUI enclave may hold public data
    {
      name: 'a cui enclave that holds public data',
      artifacts: cfn({
        Vpc: vpc({ [TAG.classification]: 'cui', [TAG.enclave]: 'e' }),
        B: bucket({ [TAG.classification]: 'public', [TAG.enclave]: 'e' }),
      }),
      expect: { fires: false },
    },
    {
      name: 'a public VPC and a cui bucket of another enclave',
      artifacts: cfn({
        Vpc: vpc({ [TAG.classification]: 'public', [TAG.enclave]: 'o' }),
        B: bucket({ [TAG.classification]: 'cui', [TAG.enclave]: 'c' }),
      }),
      expect: { fires: false },
    },
    {
      name: 'a VPC tagged public with a cui subnet of its enclave',
      artifacts: cfn({
        Vpc: vpc({ [TAG.classification]: 'public', [TAG.enclave]: 'e' }),
        Sub: subnet({ [TAG.classification]: 'cui', [TAG.enclave]: 'e' }),
      }),
      expect: {
        fires: true,
        message: /VPC is tagged public but Subnet Sub in the VPC is cui, Subnet Sub of enclave e is cui/,
      },
    },
    {
      name: 'a VPC without classification whose subnet is cui',
      artifacts: cfn({ Vpc: vpc({ Name: 'enclave' }), Sub: subnet({ [TAG.classification]: 'cui' }) }),
      expect: {
        fires: true,
        message: /VPC carries no genesis:classification tag \(Subnet Sub in the VPC is cui\)/,
      },
    },
    {
      name: 'a VPC tagged public whose enclave holds an export-controlled bucket',
      artifacts: cfn({
        Vpc: vpc({ [TAG.classification]: 'public', [TAG.enclave]: 'e' }),
        B: bucket({ [TAG.classification]: 'export-controlled', [TAG.enclave]: 'e' }),
      }),
      expect: { fires: true, message: /VPC is tagged public but Bucket B of enclave e is export-controlled/ },
    },
    {
      name: 'a VPC with an unknown classification',
      artifacts: cfn({ Vpc: vpc({ [TAG.classification]: 'secret-ish' }) }),
      expect: { fires: true, message: /VPC has unrecognised classification "secret-ish"/ },
    },
    {
      name: 'a VPC with no classification tag and nothing in it',
      artifacts: cfn({ Vpc: vpc({}) }),
      expect: { fires: true, message: /VPC carries no genesis:classification tag/ },
    },
  ],
});
