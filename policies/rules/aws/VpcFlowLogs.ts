import { asArray, defineRule } from '../../engine/rule-kit';
import { cfnResources, refValue } from '../../engine/cfn/template';
import { cfn, publicVpc } from '../../examples/builders';

const flowLog = (traffic: string) => ({
  Type: 'AWS::EC2::FlowLog',
  Properties: {
    ResourceId: { Ref: 'Vpc' },
    ResourceType: 'VPC',
    TrafficType: traffic,
    LogDestinationType: 'cloud-watch-logs',
  },
});

export default defineRule({
  id: 'GEN-AWS-NET-005',
  title: 'Every VPC records flow logs of all traffic',
  pack: 'aws-network',
  severity: 'error',
  controls: ['AU-2', 'AU-12', 'SI-4'],
  rationale:
    'Flow logs are the network audit trail of an enclave: without them exfiltration or lateral movement leaves no record. Logging only accepted or rejected traffic leaves half the picture.',
  remediation: 'Add an AWS::EC2::FlowLog with ResourceType VPC, ResourceId the VPC and TrafficType ALL.',
  *check(ctx) {
    const logs = [...cfnResources(ctx, 'AWS::EC2::FlowLog')];
    for (const vpc of cfnResources(ctx, 'AWS::EC2::VPC')) {
      const id = refValue(vpc);
      const mine = logs.filter((l) => l.props.ResourceId === id || asArray(l.props.ResourceIds).includes(id));
      if (mine.length === 0) yield { resource: vpc.ref, status: 'fail', message: 'VPC has no flow log' };
      else if (!mine.some((l) => l.props.TrafficType === 'ALL'))
        yield {
          resource: vpc.ref,
          status: 'fail',
          message: `VPC flow logs record only ${mine.map((l) => String(l.props.TrafficType)).join(', ')} traffic`,
        };
    }
  },
  examples: [
    {
      name: 'a VPC whose flow log records all traffic',
      artifacts: cfn({ Vpc: publicVpc, Log: flowLog('ALL') }),
      expect: { fires: false },
    },
    {
      name: 'a VPC without flow log',
      artifacts: cfn({ Vpc: publicVpc }),
      expect: { fires: true, message: /VPC has no flow log/ },
    },
    {
      name: 'a flow log of rejected traffic only',
      artifacts: cfn({ Vpc: publicVpc, Log: flowLog('REJECT') }),
      expect: { fires: true, message: /VPC flow logs record only REJECT traffic/ },
    },
  ],
});
