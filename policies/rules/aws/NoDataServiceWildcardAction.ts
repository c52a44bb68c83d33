import { cfn, defineRule } from '../../engine/rule-kit';
import { allowStatements, isServiceWildcard, strings } from '../../engine/iam';
import { managedPolicy } from '../../engine/tenants';

const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } };

export default defineRule({
  id: 'GEN-AWS-IAM-001',
  title: 'Identity policies grant no wildcard over a data service',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-6(1)', 'AC-3'],
  target: 'aws',
  rationale: 'A wildcard such as s3:*, kms:*, s3:*Object* or * grants every present and future action of the service, including deleting data, changing bucket and key policies and disabling keys; least privilege requires named actions. An Allow with NotAction is a wildcard in disguise.',
  remediation: 'List the actions the principal needs (e.g. s3:GetObject, kms:Decrypt) instead of a service wildcard; never Allow with NotAction.',
  *check(ctx) {
    for (const x of allowStatements(ctx, ['Action', 'NotAction'])) {
      if ('undecided' in x) {
        yield x.undecided;
        continue;
      }
      const { policy: p, statement: s } = x;
      const wild = strings(s.Action).filter(isServiceWildcard);
      if (wild.length) yield { resource: p.item.ref, status: 'fail', message: `policy ${p.name} allows ${wild.join(', ')}${s.Sid ? ` (statement ${String(s.Sid)})` : ''}` };
      if (s.NotAction !== undefined) yield { resource: p.item.ref, status: 'fail', message: `policy ${p.name} allows NotAction (every other action)` };
    }
  },
  examples: {
    pass: [cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }]) })],
    fail: [
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }]) }),
      cfn({ Role: { ...role, Properties: { ...role.Properties, Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] } } }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['kms:*'], Resource: 'arn:aws:kms:us-gov-west-1:111122223333:key/abc' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:*Object*', 'kms:*crypt*', 's3:Put*'], Resource: 'arn:aws:s3:::b/*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s3:GetObjec?'], Resource: 'arn:aws:s3:::b/*' }]) }),
      cfn({ Role: role, Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: ['s?:GetObject'], Resource: 'arn:aws:s3:::b/*' }]) }),
      // attached through ManagedPolicyArns instead of the policy's Roles
      cfn({
        Role: { ...role, Properties: { ...role.Properties, ManagedPolicyArns: [{ Ref: 'Policy' }] } },
        Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }] } } },
      }),
      // user and group policies
      cfn({ User: { Type: 'AWS::IAM::UserPolicy', Properties: { UserName: 'u', PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } } }),
      cfn({ Group: { Type: 'AWS::IAM::GroupPolicy', Properties: { GroupName: 'g', PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } } }),
      cfn({ G: { Type: 'AWS::IAM::Group', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }] } } }),
      cfn({ P: { Type: 'AWS::IAM::Policy', Properties: { Users: ['u'], PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] } } } }),
    ],
  },
});
