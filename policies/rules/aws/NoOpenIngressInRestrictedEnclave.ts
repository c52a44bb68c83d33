import { asArray, defineRule, isRecord, securityGroups } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { isUnknown, type Unknown } from '../../engine/cfn/resolve';
import type { ResourceRef, RuleResult } from '../../engine/types';
import { CidrSet, INTERNET } from '../../analysis/reach/cidr';
import { VpcIndex, describeVpc } from '../../engine/network';
import { cfn, cuiSubnet, publicVpc, restrictedVpc } from '../../examples/builders';

const sg = (ingress: unknown[]) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'x', VpcId: { Ref: 'Vpc' }, SecurityGroupIngress: ingress },
});
const rule = (cidr: Record<string, string>) => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, ...cidr });

/**
 * The internet addresses a rule admits (its source CIDR as a set, less every private range), or
 * the Unknown source that may admit some (judged as undecided). Set arithmetic: 0.0.0.0/1 admits
 * internet addresses as surely as 0.0.0.0/0 does.
 */
const openCidr = (r: unknown): string | Unknown | undefined => {
  if (!isRecord(r)) return undefined;
  for (const k of ['CidrIp', 'CidrIpv6']) {
    if (isUnknown(r[k])) return r[k] as Unknown;
    const set = CidrSet.tryOf(r[k]);
    if (set && set.overlaps(INTERNET)) return String(r[k]);
  }
  return undefined;
};

export default defineRule({
  id: 'GEN-AWS-NET-004',
  title: 'Restricted enclaves admit no traffic from internet addresses (0.0.0.0/0, ::/0 or any part of them)',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'AC-4', 'SC-7(11)'],
  rationale:
    'A security group rule open to every address makes a service of a CUI or export-controlled enclave reachable from wherever a route exists; ingress must name the enclave or peer CIDRs.',
  remediation: 'Replace 0.0.0.0/0 and ::/0 ingress with the CIDR of the enclave or a source security group.',
  *check(ctx) {
    const index = new VpcIndex(ctx);
    const groups = securityGroups(ctx);
    const judge = function* (
      ref: ResourceRef,
      vpcId: unknown,
      cidr: string | Unknown,
    ): Generator<RuleResult> {
      const v = index.vpc(vpcId);
      if (isUnknown(cidr)) {
        if (v.restricted !== false)
          yield {
            resource: ref,
            status: 'unknown',
            message: `could not decide the source of an ingress rule: ${cidr.reason}`,
          };
      } else if (isUnknown(v.restricted))
        yield {
          resource: ref,
          status: 'unknown',
          message: `could not decide the enclave of the security group: ${v.restricted.reason}`,
        };
      else if (v.restricted)
        yield {
          resource: ref,
          status: 'fail',
          message: `ingress from ${cidr} into restricted ${describeVpc(v)}`,
        };
    };
    for (const g of cfnResources(ctx, 'AWS::EC2::SecurityGroup')) {
      for (const r of asArray(g.props.SecurityGroupIngress)) {
        const cidr = openCidr(r);
        if (cidr) yield* judge(g.ref, g.props.VpcId, cidr);
      }
    }
    for (const i of cfnResources(ctx, 'AWS::EC2::SecurityGroupIngress')) {
      const cidr = openCidr(i.props);
      if (!cidr) continue;
      const group = groups.get(i.props.GroupId);
      if (!group)
        yield {
          resource: i.ref,
          status: 'unknown',
          message: `could not decide the enclave: security group ${String(i.props.GroupId)} is not declared in the assembly`,
        };
      else yield* judge(i.ref, group.props.VpcId, cidr);
    }
  },
  examples: [
    {
      name: 'a security group of a cui VPC open to a private range of another network',
      artifacts: cfn({ Vpc: restrictedVpc, Sg: sg([rule({ CidrIp: '172.16.0.0/12' })]) }),
      expect: { fires: false },
    },
    {
      name: 'a security group of a cui VPC open to 0.0.0.0/0 split in two halves',
      artifacts: cfn({
        Vpc: restrictedVpc,
        Sg: sg([rule({ CidrIp: '0.0.0.0/1' }), rule({ CidrIp: '128.0.0.0/1' })]),
      }),
      expect: { fires: true, message: /ingress from (0|128)\.0\.0\.0\/1 into restricted VPC Vpc/ },
    },
    {
      name: 'a security group of a cui VPC open to the IPv6 global unicast range',
      artifacts: cfn({ Vpc: restrictedVpc, Sg: sg([rule({ CidrIpv6: '2000::/3' })]) }),
      expect: { fires: true, message: /ingress from 2000::\/3 into restricted VPC Vpc/ },
    },
    {
      name: "a security group of a cui VPC open to the VPC's range",
      artifacts: cfn({ Vpc: restrictedVpc, Sg: sg([rule({ CidrIp: '10.41.0.0/16' })]) }),
      expect: { fires: false },
    },
    {
      name: 'a security group of a public VPC open to 0.0.0.0/0',
      artifacts: cfn({ Vpc: publicVpc, Sg: sg([rule({ CidrIp: '0.0.0.0/0' })]) }),
      expect: { fires: false },
    },
    {
      name: 'a security group of a cui VPC open to 0.0.0.0/0',
      artifacts: cfn({ Vpc: restrictedVpc, Sg: sg([rule({ CidrIp: '0.0.0.0/0' })]) }),
      expect: { fires: true, message: /ingress from 0\.0\.0\.0\/0 into restricted VPC Vpc/ },
    },
    {
      name: 'a VPC tagged public with a cui subnet, open to 0.0.0.0/0',
      artifacts: cfn({ Vpc: publicVpc, Sub: cuiSubnet, Sg: sg([rule({ CidrIp: '0.0.0.0/0' })]) }),
      expect: { fires: true, message: /ingress from 0\.0\.0\.0\/0 into restricted VPC Vpc/ },
    },
    {
      name: 'a separate ingress rule from ::/0 into a cui VPC',
      artifacts: cfn({
        Vpc: restrictedVpc,
        Sg: sg([]),
        In: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, IpProtocol: '-1', CidrIpv6: '::/0' },
        },
      }),
      expect: { fires: true, message: /ingress from ::\/0 into restricted VPC Vpc/ },
    },
  ],
});
