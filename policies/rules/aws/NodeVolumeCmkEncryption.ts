import { asArray, defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { containsUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

const template = (ebs: Record<string, unknown>) => ({
  Type: 'AWS::EC2::LaunchTemplate',
  Properties: {
    LaunchTemplateData: {
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 500, VolumeType: 'gp3', ...ebs } }],
    },
  },
});

/** EBS settings of a resource: block device mappings of launch templates and instances, or a volume itself. */
function ebsOf(type: string, props: Record<string, unknown>): unknown[] {
  if (type === 'AWS::EC2::Volume') return [props];
  const data =
    type === 'AWS::EC2::LaunchTemplate' && isRecord(props.LaunchTemplateData)
      ? props.LaunchTemplateData
      : props;
  return asArray(data.BlockDeviceMappings)
    .filter(isRecord)
    .map((m) => m.Ebs)
    .filter((e) => e !== undefined);
}

export default defineRule({
  id: 'GEN-AWS-DP-015',
  title: 'Node and instance volumes are encrypted with a customer-managed KMS key',
  pack: 'aws-data-protection',
  severity: 'error',
  controls: ['SC-28', 'SC-28(1)', 'SC-12'],
  rationale:
    "GPU nodes cache datasets, container images and checkpoints on their volumes; unencrypted (or AWS-managed-key) volumes and their snapshots expose controlled data outside the platform's key policies.",
  remediation:
    'Set Encrypted: true and KmsKeyId (a customer-managed key) on every EBS block device of launch templates and instances, and on AWS::EC2::Volume.',
  *check(ctx) {
    for (const r of cfnResources(ctx, [
      'AWS::EC2::LaunchTemplate',
      'AWS::EC2::Instance',
      'AWS::EC2::Volume',
    ])) {
      const volumes = ebsOf(r.resource.Type, r.props);
      if (containsUnknown(volumes)) {
        yield undecided(r.ref, 'the volume encryption', volumes);
        continue;
      }
      const bad = volumes.filter(
        (e) => !isRecord(e) || (e.Encrypted !== true && e.Encrypted !== 'true') || e.KmsKeyId === undefined,
      );
      if (bad.length)
        yield {
          resource: r.ref,
          status: 'fail',
          message: `${bad.length} EBS volume${bad.length === 1 ? ' is' : 's are'} not encrypted with a customer-managed key`,
        };
    }
  },
  examples: [
    {
      name: 'a launch template whose volume uses a key of the assembly',
      artifacts: cfn({
        Key: { Type: 'AWS::KMS::Key' },
        Lt: template({ Encrypted: true, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }),
      }),
      expect: { fires: false },
    },
    {
      name: 'a launch template with an unencrypted volume',
      artifacts: cfn({ Lt: template({}) }),
      expect: { fires: true, message: /1 EBS volume is not encrypted with a customer-managed key/ },
    },
    {
      name: 'a launch template volume encrypted with the AWS-managed key',
      artifacts: cfn({ Lt: template({ Encrypted: true }) }),
      expect: { fires: true, message: /1 EBS volume is not encrypted with a customer-managed key/ },
    },
    {
      name: 'a plain EBS volume that is not encrypted',
      artifacts: cfn({
        Vol: { Type: 'AWS::EC2::Volume', Properties: { Size: 10, AvailabilityZone: 'us-gov-west-1a' } },
      }),
      expect: { fires: true, message: /1 EBS volume is not encrypted with a customer-managed key/ },
    },
  ],
});
