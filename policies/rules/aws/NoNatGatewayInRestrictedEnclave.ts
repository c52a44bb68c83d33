import { defineRule } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { VpcIndex, describeVpc } from '../../engine/network';
import { cfn, publicVpc, restrictedVpc } from '../../examples/builders';

const subnet = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24' } };
const nat = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'Subnet' } } };

export default defineRule({
  id: 'GEN-AWS-NET-002',
  title: 'Restricted enclaves have no public NAT gateway',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)', 'AC-4'],
  rationale:
    'A public NAT gateway gives every workload of the enclave a way out to the internet; restricted enclaves must not have one (a private NAT gateway does not reach the internet and is allowed).',
  remediation:
    'Remove the NAT gateway, or set ConnectivityType: private when only private routing is needed.',
  *check(ctx) {
    const index = new VpcIndex(ctx);
    for (const n of cfnResources(ctx, 'AWS::EC2::NatGateway')) {
      if (n.props.ConnectivityType === 'private') continue;
      const v = index.subnet(n.props.SubnetId);
      if (isUnknown(v.restricted))
        yield {
          resource: n.ref,
          status: 'unknown',
          message: `could not decide the enclave of the NAT gateway: ${v.restricted.reason}`,
        };
      else if (v.restricted)
        yield {
          resource: n.ref,
          status: 'fail',
          message: `public NAT gateway in restricted ${describeVpc(v)}`,
        };
    }
  },
  examples: [
    {
      name: 'a public NAT gateway in a public VPC',
      artifacts: cfn({ Vpc: publicVpc, Subnet: subnet, Nat: nat }),
      expect: { fires: false },
    },
    {
      name: 'a private NAT gateway in a restricted VPC',
      artifacts: cfn({
        Vpc: restrictedVpc,
        Subnet: subnet,
        Nat: { ...nat, Properties: { ...nat.Properties, ConnectivityType: 'private' } },
      }),
      expect: { fires: false },
    },
    {
      name: 'a public NAT gateway in a cui VPC',
      artifacts: cfn({ Vpc: restrictedVpc, Subnet: subnet, Nat: nat }),
      expect: { fires: true, message: /public NAT gateway in restricted VPC Vpc/ },
    },
  ],
});
