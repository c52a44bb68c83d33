import { asArray, defineRule, securityGroups } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { limitResult } from '../../engine/limits';
import type { CfnItem } from '../../engine/cfn/template';
import { cfn } from '../../examples/builders';

const LIMIT = 60;
const rules = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    IpProtocol: 'tcp',
    FromPort: 1000 + i,
    ToPort: 1000 + i,
    CidrIp: '10.0.0.0/16',
  }));
const sg = (inbound: number, outbound: number) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: {
    GroupDescription: 'x',
    SecurityGroupIngress: rules(inbound),
    SecurityGroupEgress: rules(outbound),
  },
});

export default defineRule({
  id: 'GEN-AWS-LIM-010',
  title: 'Security groups stay within 60 inbound and 60 outbound rules',
  pack: 'aws-service-limits',
  severity: 'error',
  controls: ['CM-2', 'SC-7'],
  rationale:
    'EC2 refuses a rule beyond the per-group quota (60 inbound, 60 outbound by default); a peering or allow-list that grows per tenant fails at deploy time.',
  remediation:
    'Use prefix lists or referenced security groups instead of one rule per CIDR, or split the group.',
  *check(ctx) {
    const groups = securityGroups(ctx);
    const extra = new Map<CfnItem, { in: number; out: number }>();
    for (const r of cfnResources(ctx, ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'])) {
      const g = groups.get(r.props.GroupId);
      if (!g) continue;
      const e = extra.get(g) ?? { in: 0, out: 0 };
      if (r.resource.Type.endsWith('Ingress')) e.in++;
      else e.out++;
      extra.set(g, e);
    }
    for (const g of cfnResources(ctx, 'AWS::EC2::SecurityGroup')) {
      const e = extra.get(g) ?? { in: 0, out: 0 };
      for (const [dir, n] of [
        ['inbound', asArray(g.props.SecurityGroupIngress).length + e.in],
        ['outbound', asArray(g.props.SecurityGroupEgress).length + e.out],
      ] as const) {
        const r = limitResult(g.ref, `${dir} rules`, n, LIMIT);
        if (r) yield r;
      }
    }
  },
  examples: [
    { name: 'a group of 10 inbound rules', artifacts: cfn({ Sg: sg(10, 1) }), expect: { fires: false } },
    {
      name: 'a group of 61 inbound rules',
      artifacts: cfn({ Sg: sg(61, 1) }),
      expect: { fires: true, message: /inbound rules is 61, above the limit of 60/ },
    },
    {
      name: 'a group of 70 outbound rules',
      artifacts: cfn({ Sg: sg(1, 70) }),
      expect: { fires: true, message: /outbound rules is 70, above the limit of 60/ },
    },
  ],
});
