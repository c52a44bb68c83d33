/**
 * A partner site hosted in the partner's AWS account: its `Partner-<site>` stack is for that
 * account, holds the site's network and EKS cluster with the platform's defaults, and trusts the
 * federation manager's MultiKueue role and nothing else; the manager's site stack grants that role
 * sts:AssumeRole on the worker role only. cdk-nag's packs leave nothing open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadPlatform } from '../../infra/model';
import { buildAwsApp, nagPacks } from '../../stacks/aws/app';
import { PARTNER_AWS_ACCOUNT, PARTNER_AWS_STACK, writePartnerAwsSpec } from '../fixtures/partner-aws';
import { tempDir } from '../support/tmp';
import { NOW } from './synth';

const MANAGER_ROLE = 'arn:aws-us-gov:iam::111122223333:role/genesis-gw-gpu-multikueue';
const WORKER_ROLE = `arn:aws-us-gov:iam::${PARTNER_AWS_ACCOUNT}:role/genesis-multikueue-national`;

const dir = tempDir('genesis-partner-aws-');
fs.mkdirSync(path.join(dir, 'spec'));
const platform = loadPlatform({ spec: writePartnerAwsSpec(path.join(dir, 'spec')), now: NOW }).platform;
const built = buildAwsApp(platform, { nagPacks: true });
const errorsOf = (app: App): string[] =>
  nagPacks(app).flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error')
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
  );
const assembly = built.app.synth();
const partner = assembly.getStackByName(PARTNER_AWS_STACK);
const template = Template.fromJSON(partner.template);
const site = Template.fromJSON(assembly.getStackByName('Site-govcloud-west').template);

it('is a stack for the partner account and region, depending on no platform stack', () => {
  expect(partner.environment.account).toBe(PARTNER_AWS_ACCOUNT);
  expect(partner.environment.region).toBe('us-gov-west-1');
  expect(partner.dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets'))).toEqual([]);
  expect(built.partners.get('aurora-cloud')?.stackName).toBe(PARTNER_AWS_STACK);
});

it("holds the site's enclave network and an EKS cluster with the platform's defaults", () => {
  template.resourceCountIs('AWS::EC2::VPC', 1);
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.71.0.0/16' });
  template.hasResourceProperties('AWS::EKS::Cluster', {
    Name: 'aurora-eks',
    ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
    EncryptionConfig: [{ Resources: ['secrets'] }],
    Logging: {
      ClusterLogging: {
        EnabledTypes: [
          { Type: 'api' },
          { Type: 'audit' },
          { Type: 'authenticator' },
          { Type: 'controllerManager' },
          { Type: 'scheduler' },
        ],
      },
    },
  });
  template.allResourcesProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
  });
  // No storage: datasets never leave platform sites.
  template.resourceCountIs('AWS::S3::Bucket', 0);
  template.resourceCountIs('AWS::EFS::FileSystem', 0);
});

it("trusts exactly the manager's MultiKueue role, and maps it to the manager group without an access policy", () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'genesis-multikueue-national',
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Principal: { AWS: MANAGER_ROLE },
          Condition: { ArnEquals: { 'aws:PrincipalArn': MANAGER_ROLE } },
        },
      ],
    },
  });
  const entries = Object.values(template.findResources('AWS::EKS::AccessEntry'));
  expect(entries).toHaveLength(1);
  expect(entries[0].Properties).toEqual(
    expect.objectContaining({
      ClusterName: 'aurora-eks',
      KubernetesGroups: ['genesis:multikueue:national'],
      Type: 'STANDARD',
    }),
  );
  expect(entries[0].Properties.AccessPolicies).toBeUndefined();
});

it("grants the manager's MultiKueue controller sts:AssumeRole on the worker role only", () => {
  site.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'genesis-gw-gpu-multikueue',
    Policies: [
      {
        PolicyDocument: {
          Statement: [
            { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Resource: WORKER_ROLE },
          ],
        },
      },
    ],
  });
  site.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
    ClusterName: 'gw-gpu',
    Namespace: 'kueue-system',
    ServiceAccount: 'kueue-controller-manager',
  });
});

it('leaves no cdk-nag error unacknowledged (the packs ran as validation plugins of the synthesis)', () => {
  expect(errorsOf(built.app)).toEqual([]);
});
