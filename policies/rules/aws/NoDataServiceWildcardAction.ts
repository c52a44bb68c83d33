import { defineRule } from '../../engine/rule-kit';
import { allowStatements, isServiceWildcard, strings } from '../../engine/iam';
import { cfn, managedPolicy, plainRole } from '../../examples/builders';

export default defineRule({
  id: 'GEN-AWS-IAM-001',
  title: 'Identity policies grant no wildcard over a data service',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-6', 'AC-6(1)', 'AC-3'],
  rationale:
    'A wildcard such as s3:*, kms:*, s3:*Object* or * grants every present and future action of the service, including deleting data, changing bucket and key policies and disabling keys; least privilege requires named actions. An Allow with NotAction is a wildcard in disguise.',
  remediation:
    'List the actions the principal needs (e.g. s3:GetObject, kms:Decrypt) instead of a service wildcard; never Allow with NotAction.',
  *check(ctx) {
    for (const x of allowStatements(ctx, ['Action', 'NotAction'])) {
      if ('undecided' in x) {
        yield x.undecided;
        continue;
      }
      const { policy: p, statement: s } = x;
      const wild = strings(s.Action).filter(isServiceWildcard);
      if (wild.length)
        yield {
          resource: p.item.ref,
          status: 'fail',
          message: `policy ${p.name} allows ${wild.join(', ')}${s.Sid ? ` (statement ${String(s.Sid)})` : ''}`,
        };
      if (s.NotAction !== undefined)
        yield {
          resource: p.item.ref,
          status: 'fail',
          message: `policy ${p.name} allows NotAction (every other action)`,
        };
    }
  },
  examples: [
    {
      name: 'a policy that allows s3:GetObject',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' },
        ]),
      }),
      expect: { fires: false },
    },
    {
      name: 'a managed policy that allows s3:*',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:\*/ },
    },
    {
      name: 'an inline policy that allows *',
      artifacts: cfn({
        Role: {
          ...plainRole,
          Properties: {
            ...plainRole.Properties,
            Policies: [
              {
                PolicyName: 'inline',
                PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
              },
            ],
          },
        },
      }),
      expect: { fires: true, message: /policy inline allows \*/ },
    },
    {
      name: 'NotAction iam:* on every resource',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]),
      }),
      expect: { fires: true, message: /policy Policy allows NotAction \(every other action\)/ },
    },
    {
      name: 'kms:* on one key',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['kms:*'], Resource: 'arn:aws:kms:us-gov-west-1:111122223333:key/abc' },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows kms:\*/ },
    },
    {
      name: 'partial wildcards over s3 and kms actions',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          {
            Effect: 'Allow',
            Action: ['s3:*Object*', 'kms:*crypt*', 's3:Put*'],
            Resource: 'arn:aws:s3:::b/*',
          },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:\*Object\*, kms:\*crypt\*, s3:Put\*/ },
    },
    {
      name: 'a single-character wildcard in an action name',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['s3:GetObjec?'], Resource: 'arn:aws:s3:::b/*' },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows s3:GetObjec\?/ },
    },
    {
      name: 'a wildcard in the service prefix',
      artifacts: cfn({
        Role: plainRole,
        Policy: managedPolicy('Role', [
          { Effect: 'Allow', Action: ['s?:GetObject'], Resource: 'arn:aws:s3:::b/*' },
        ]),
      }),
      expect: { fires: true, message: /policy Policy allows s\?:GetObject/ },
    },
    // attached through ManagedPolicyArns instead of the policy's Roles
    {
      name: "s3:Get* through ManagedPolicyArns instead of the policy's Roles",
      artifacts: cfn({
        Role: {
          ...plainRole,
          Properties: { ...plainRole.Properties, ManagedPolicyArns: [{ Ref: 'Policy' }] },
        },
        Policy: {
          Type: 'AWS::IAM::ManagedPolicy',
          Properties: {
            PolicyDocument: {
              Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }],
            },
          },
        },
      }),
      expect: { fires: true, message: /policy Policy allows s3:Get\*/ },
    },
    // user and group policies
    {
      name: 'a user policy that allows s3:*',
      artifacts: cfn({
        User: {
          Type: 'AWS::IAM::UserPolicy',
          Properties: {
            UserName: 'u',
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
          },
        },
      }),
      expect: { fires: true, message: /policy p allows s3:\*/ },
    },
    {
      name: 'a group policy that allows s3:*',
      artifacts: cfn({
        Group: {
          Type: 'AWS::IAM::GroupPolicy',
          Properties: {
            GroupName: 'g',
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
          },
        },
      }),
      expect: { fires: true, message: /policy p allows s3:\*/ },
    },
    {
      name: 'an inline policy of a group that allows kms:*',
      artifacts: cfn({
        G: {
          Type: 'AWS::IAM::Group',
          Properties: {
            Policies: [
              {
                PolicyName: 'p',
                PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
              },
            ],
          },
        },
      }),
      expect: { fires: true, message: /policy p allows kms:\*/ },
    },
    {
      name: 'an IAM policy of users that allows s3:Get*',
      artifacts: cfn({
        P: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            Users: ['u'],
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] },
          },
        },
      }),
      expect: { fires: true, message: /policy p allows s3:Get\*/ },
    },
  ],
});
