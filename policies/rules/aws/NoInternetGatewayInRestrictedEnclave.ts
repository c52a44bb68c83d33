import { defineRule } from '../../engine/rule-kit';
import { cfnResources, refValue } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { VpcIndex, describeVpc } from '../../engine/network';
import { cfn, cuiBucket, cuiSubnet, publicVpc, restrictedVpc, untaggedVpc } from '../../examples/builders';

const igw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
const attach = {
  Type: 'AWS::EC2::VPCGatewayAttachment',
  Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Igw' } },
};

export default defineRule({
  id: 'GEN-AWS-NET-001',
  title: 'Restricted enclaves have no internet gateway',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)', 'AC-4'],
  rationale:
    'CUI and export-controlled enclaves have no egress by design: an internet gateway (or egress-only gateway) attached to their VPC opens a path for data to leave.',
  remediation:
    'Remove the internet gateway and its attachment from VPCs tagged genesis:classification cui or export-controlled; reach AWS APIs through VPC endpoints.',
  *check(ctx) {
    const index = new VpcIndex(ctx);
    const gateways = new Map(
      [...cfnResources(ctx, 'AWS::EC2::InternetGateway')].map((g) => [refValue(g), g]),
    );
    for (const a of cfnResources(ctx, 'AWS::EC2::VPCGatewayAttachment')) {
      if (a.props.InternetGatewayId === undefined) continue;
      const v = index.vpc(a.props.VpcId);
      const ref = gateways.get(a.props.InternetGatewayId)?.ref ?? a.ref;
      if (isUnknown(v.restricted))
        yield {
          resource: ref,
          status: 'unknown',
          message: `could not decide the enclave of the internet gateway: ${v.restricted.reason}`,
        };
      else if (v.restricted)
        yield {
          resource: ref,
          status: 'fail',
          message: `internet gateway attached to restricted ${describeVpc(v)}`,
        };
    }
    for (const g of cfnResources(ctx, 'AWS::EC2::EgressOnlyInternetGateway')) {
      const v = index.vpc(g.props.VpcId);
      if (isUnknown(v.restricted))
        yield {
          resource: g.ref,
          status: 'unknown',
          message: `could not decide the enclave of the gateway: ${v.restricted.reason}`,
        };
      else if (v.restricted)
        yield {
          resource: g.ref,
          status: 'fail',
          message: `egress-only internet gateway in restricted ${describeVpc(v)}`,
        };
    }
  },
  examples: [
    {
      name: 'an internet gateway attached to a public VPC',
      artifacts: cfn({ Vpc: publicVpc, Igw: igw, Attach: attach }),
      expect: { fires: false },
    },
    {
      name: 'a restricted VPC without a gateway',
      artifacts: cfn({ Vpc: restrictedVpc }),
      expect: { fires: false },
    },
    {
      name: 'an internet gateway attached to a cui VPC',
      artifacts: cfn({ Vpc: restrictedVpc, Igw: igw, Attach: attach }),
      expect: { fires: true, message: /internet gateway attached to restricted VPC Vpc/ },
    },
    // the VPC retagged public: its subnet still says cui
    {
      name: 'a VPC retagged public whose subnet still says cui',
      artifacts: cfn({ Vpc: publicVpc, Sub: cuiSubnet, Igw: igw, Attach: attach }),
      expect: { fires: true, message: /internet gateway attached to restricted VPC Vpc/ },
    },
    // no classification on the VPC: the enclave's other resources say cui
    {
      name: 'a VPC without classification whose enclave holds a cui bucket',
      artifacts: cfn({ Vpc: untaggedVpc, B: cuiBucket, Igw: igw, Attach: attach }),
      expect: { fires: true, message: /internet gateway attached to restricted VPC Vpc/ },
    },
    {
      name: 'an egress-only internet gateway in a cui VPC',
      artifacts: cfn({
        Vpc: restrictedVpc,
        Eigw: { Type: 'AWS::EC2::EgressOnlyInternetGateway', Properties: { VpcId: { Ref: 'Vpc' } } },
      }),
      expect: { fires: true, message: /egress-only internet gateway in restricted VPC Vpc/ },
    },
  ],
});
