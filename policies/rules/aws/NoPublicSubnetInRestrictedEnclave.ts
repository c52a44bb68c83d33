import { defineRule } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { VpcIndex, describeVpc } from '../../engine/network';
import { cfn, publicVpc, restrictedVpc } from '../../examples/builders';

const subnet = (map?: boolean) => ({
  Type: 'AWS::EC2::Subnet',
  Properties: {
    VpcId: { Ref: 'Vpc' },
    CidrBlock: '10.0.0.0/24',
    ...(map === undefined ? {} : { MapPublicIpOnLaunch: map }),
  },
});

export default defineRule({
  id: 'GEN-AWS-NET-003',
  title: 'Restricted enclaves have no subnet that assigns public IP addresses',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)'],
  rationale:
    'Instances launched into a subnet with MapPublicIpOnLaunch get an internet-routable address; no workload of a restricted enclave may have one.',
  remediation: 'Set MapPublicIpOnLaunch: false (or remove it) on every subnet of a restricted VPC.',
  *check(ctx) {
    const index = new VpcIndex(ctx);
    for (const s of cfnResources(ctx, 'AWS::EC2::Subnet')) {
      const map = s.props.MapPublicIpOnLaunch;
      if (map !== true && map !== 'true' && !isUnknown(map)) continue;
      const v = index.vpc(s.props.VpcId);
      if (isUnknown(v.restricted))
        yield {
          resource: s.ref,
          status: 'unknown',
          message: `could not decide the enclave of the subnet: ${v.restricted.reason}`,
        };
      else if (v.restricted && isUnknown(map))
        yield {
          resource: s.ref,
          status: 'unknown',
          message: `could not decide MapPublicIpOnLaunch: ${map.reason}`,
        };
      else if (v.restricted)
        yield {
          resource: s.ref,
          status: 'fail',
          message: `subnet of restricted ${describeVpc(v)} assigns public IP addresses`,
        };
    }
  },
  examples: [
    {
      name: 'a subnet of a cui VPC without public addresses',
      artifacts: cfn({ Vpc: restrictedVpc, Subnet: subnet(false) }),
      expect: { fires: false },
    },
    {
      name: 'a subnet of a public VPC that assigns public addresses',
      artifacts: cfn({ Vpc: publicVpc, Subnet: subnet(true) }),
      expect: { fires: false },
    },
    {
      name: 'a subnet of a cui VPC that assigns public addresses',
      artifacts: cfn({ Vpc: restrictedVpc, Subnet: subnet(true) }),
      expect: { fires: true, message: /subnet of restricted VPC Vpc assigns public IP addresses/ },
    },
  ],
});
