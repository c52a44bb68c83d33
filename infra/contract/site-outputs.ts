/**
 * Output keys of a `Site-<site>` CloudFormation stack that other targets read after deployment
 * (`cdk deploy --outputs-file`): the ids AWS assigns to file systems and their network. The AWS
 * target writes them, `genesis synth --aws-outputs` and the Pulumi program (`genesis:awsOutputs`)
 * read them, so the names live here, where both sides see them.
 */

/** PascalCase of a DNS-label id, as CDK construct ids and output keys use it. */
function pascal(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export const SITE_OUTPUT_KEYS = {
  efsFileSystemId: (tierId: string): string => `EfsFileSystemId${pascal(tierId)}`,
  fsxSubnetId: 'FsxSubnetId',
  fsxSecurityGroupId: 'FsxSecurityGroupId',
  fsxKmsKeyId: 'FsxKmsKeyId',
} as const;
