import { defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, refValue, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

const lt = (options?: Record<string, unknown>) => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: { LaunchTemplateData: options ? { MetadataOptions: options } : {} },
});
const nodegroup = (withTemplate: boolean) => ({
  Type: 'AWS::EKS::Nodegroup',
  Properties: {
    ClusterName: 'c',
    NodeRole: 'arn:aws:iam::111122223333:role/n',
    Subnets: ['s'],
    ...(withTemplate ? { LaunchTemplate: { Id: { Ref: 'Lt' } } } : {}),
  },
});

export default defineRule({
  id: 'GEN-AWS-NET-008',
  title: 'Nodes require IMDSv2 with a hop limit of 1',
  pack: 'aws-network',
  severity: 'error',
  controls: ['AC-6', 'SC-7', 'SC-4'],
  rationale:
    "A pod that reaches the instance metadata service gets the node role's credentials (ECR, EC2, EKS). IMDSv2 with HttpPutResponseHopLimit 1 keeps the token from crossing the pod network hop; IMDSv1 answers anyone. An EKS node group without a launch template runs with the default metadata options (hop limit 2).",
  remediation:
    'Set MetadataOptions { HttpTokens: required, HttpPutResponseHopLimit: 1 } in every launch template and instance, and give every EKS node group such a launch template.',
  *check(ctx) {
    for (const r of cfnResources(ctx, ['AWS::EC2::LaunchTemplate', 'AWS::EC2::Instance'])) {
      const data =
        r.resource.Type === 'AWS::EC2::LaunchTemplate'
          ? isRecord(r.props.LaunchTemplateData)
            ? r.props.LaunchTemplateData
            : {}
          : r.props;
      const m = data.MetadataOptions;
      if (containsUnknown(m)) {
        yield undecided(r.ref, 'the metadata options', m);
        continue;
      }
      const o = isRecord(m) ? m : {};
      const problems: string[] = [];
      if (o.HttpEndpoint === 'disabled') continue;
      if (o.HttpTokens !== 'required') problems.push('IMDSv1 is allowed (HttpTokens is not required)');
      if (o.HttpPutResponseHopLimit === undefined || Number(o.HttpPutResponseHopLimit) > 1)
        problems.push(`hop limit is ${String(o.HttpPutResponseHopLimit ?? 'the default')}, not 1`);
      if (problems.length) yield { resource: r.ref, status: 'fail', message: problems.join('; ') };
    }
    const templates = new Set([...cfnResources(ctx, 'AWS::EC2::LaunchTemplate')].map(refValue));
    // A node group may name its template by LaunchTemplateName instead of id: resolved the same way.
    const named = new Set(
      [...cfnResources(ctx, 'AWS::EC2::LaunchTemplate')]
        .map((t) => t.props.LaunchTemplateName)
        .filter((n) => n !== undefined),
    );
    for (const g of cfnResources(ctx, 'AWS::EKS::Nodegroup')) {
      const lt = isRecord(g.props.LaunchTemplate) ? g.props.LaunchTemplate : undefined;
      if (!lt)
        yield {
          resource: g.ref,
          status: 'fail',
          message:
            'node group has no launch template: nodes run with the default metadata options (hop limit 2)',
        };
      else if (lt.Id !== undefined && !templates.has(lt.Id))
        yield {
          resource: g.ref,
          status: 'unknown',
          message: `could not decide: launch template ${String(lt.Id)} is not declared in the assembly`,
        };
      else if (lt.Id === undefined && lt.Name !== undefined && !named.has(lt.Name))
        yield {
          resource: g.ref,
          status: 'unknown',
          message: `could not decide: launch template named ${String(lt.Name)} is not declared in the assembly`,
        };
      else if (lt.Id === undefined && lt.Name === undefined)
        yield {
          resource: g.ref,
          status: 'fail',
          message: 'node group names its launch template by neither id nor name',
        };
    }
  },
  examples: [
    {
      name: 'a launch template that requires IMDSv2 with a hop limit of 1',
      artifacts: cfn({ Lt: lt({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }), Ng: nodegroup(true) }),
      expect: { fires: false },
    },
    {
      name: 'a node group naming its launch template by LaunchTemplateName',
      artifacts: cfn({
        Lt: {
          ...lt({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }),
          Properties: {
            LaunchTemplateName: 'nodes',
            LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
          },
        },
        Ng: {
          ...nodegroup(false),
          Properties: { ...nodegroup(false).Properties, LaunchTemplate: { Name: 'nodes' } },
        },
      }),
      expect: { fires: false },
    },
    {
      name: 'a launch template that allows IMDSv1',
      artifacts: cfn({ Lt: lt({ HttpTokens: 'optional', HttpPutResponseHopLimit: 1 }) }),
      expect: { fires: true, message: /IMDSv1 is allowed \(HttpTokens is not required\)/ },
    },
    {
      name: 'a hop limit of 2',
      artifacts: cfn({ Lt: lt({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 }) }),
      expect: { fires: true, message: /hop limit is 2, not 1/ },
    },
    {
      name: 'a node group without launch template beside a template without metadata options',
      artifacts: cfn({ Lt: lt(), Ng: nodegroup(false) }),
      expect: {
        fires: true,
        message:
          /node group has no launch template: nodes run with the default metadata options|IMDSv1 is allowed \(HttpTokens is not required\); hop limit is the default, not 1/,
      },
    },
  ],
});
