/**
 * Examples of GEN-AWS-FED-001: a partner stack (every example stack is in account 111122223333,
 * which the intent below declares as partner site p's, while the platform's AWS site is in
 * 444455556666), its worker role and access entry, and the edits an insider might make.
 * Example code only: no engine module imports this one.
 */
import { managerGroupName } from '../../infra/contract';
import type { ExampleArtifacts, RuleExample } from '../engine/types';
import { cfn } from './builders';

const MANAGER = 'arn:aws-us-gov:iam::444455556666:role/genesis-m-multikueue';
const GROUP = managerGroupName('f');

/** Manager m on the platform's AWS site, worker w on partner site p, in these accounts. */
const intentOf = (platformAccount: string, partnerAccount: string) => ({
  sites: [
    { id: 'gov', kind: 'aws', account: platformAccount, region: 'us-gov-west-1' },
    { id: 'p', kind: 'partner', partner: 'x', aws: { account: partnerAccount, region: 'us-gov-west-1' } },
  ],
  clusters: [
    { id: 'm', site: 'gov', enclave: 'a' },
    { id: 'w', site: 'p', enclave: 'b' },
  ],
  federations: [{ id: 'f', manager: 'm', workers: ['w'] }],
});

const intent = intentOf('444455556666', '111122223333');

const declared = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: MANAGER } };

/** The partner stack with the worker role trusting `statements` and its access entry with `entry` added. */
const partner = (
  statements: readonly Record<string, unknown>[] = [declared],
  entry: Record<string, unknown> = {},
): ExampleArtifacts => ({
  ...cfn(
    {
      Worker: {
        Type: 'AWS::IAM::Role',
        Properties: { RoleName: 'genesis-multikueue-f', AssumeRolePolicyDocument: { Statement: statements } },
      },
      Entry: {
        Type: 'AWS::EKS::AccessEntry',
        Properties: {
          ClusterName: 'w',
          PrincipalArn: { 'Fn::GetAtt': ['Worker', 'Arn'] },
          KubernetesGroups: [GROUP],
          Type: 'STANDARD',
          ...entry,
        },
      },
      ClusterRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'eks.amazonaws.com' } },
            ],
          },
        },
      },
    },
    'Partner-p',
  ),
  intent,
});

export const PARTNER_TRUST_EXAMPLES: readonly RuleExample[] = [
  {
    name: "the manager's role, named exactly, mapped to the manager group without an access policy",
    artifacts: partner(),
    expect: { fires: false },
  },
  {
    name: '"*" narrowed by an exact aws:PrincipalArn of the manager role (admits only it)',
    artifacts: partner([
      { ...declared, Principal: { AWS: '*' }, Condition: { ArnEquals: { 'aws:PrincipalArn': MANAGER } } },
    ]),
    expect: { fires: false },
  },
  {
    name: "the root of the manager's account",
    artifacts: partner([{ ...declared, Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:root' } }]),
    expect: { fires: true, message: /admits every principal of account 444455556666/ },
  },
  {
    name: 'an account id alone, in a list beside the manager role',
    artifacts: partner([{ ...declared, Principal: { AWS: [MANAGER, '555566667777'] } }]),
    expect: { fires: true, message: /admits every principal of account 555566667777/ },
  },
  {
    name: 'a second statement trusting a role of another account',
    artifacts: partner([
      declared,
      { ...declared, Principal: { AWS: 'arn:aws-us-gov:iam::555566667777:role/ops' } },
    ]),
    expect: { fires: true, message: /admits arn:aws-us-gov:iam::555566667777:role\/ops/ },
  },
  {
    name: '"*" with a wildcard aws:PrincipalArn condition',
    artifacts: partner([
      {
        ...declared,
        Principal: '*',
        Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws-us-gov:iam::444455556666:role/*' } },
      },
    ]),
    expect: { fires: true, message: /admits any principal \("\*"\)/ },
  },
  {
    name: 'NotPrincipal',
    artifacts: partner([{ Effect: 'Allow', Action: 'sts:AssumeRole', NotPrincipal: { AWS: MANAGER } }]),
    expect: { fires: true, message: /admits every principal but those NotPrincipal names/ },
  },
  {
    name: 'the cluster-admin access policy on the access entry',
    artifacts: partner([declared], {
      AccessPolicies: [
        {
          PolicyArn: 'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          AccessScope: { Type: 'cluster' },
        },
      ],
    }),
    expect: { fires: true, message: /associates EKS access policy .*AmazonEKSClusterAdminPolicy/ },
  },
  {
    name: 'system:masters beside the manager group',
    artifacts: partner([declared], { KubernetesGroups: [GROUP, 'system:masters'] }),
    expect: {
      fires: true,
      message: /gives group system:masters, beyond the manager group genesis:multikueue:f/,
    },
  },
  {
    name: 'a platform role (a platform stack) trusting its own account, pinned to one of its roles',
    artifacts: platformRole({
      ...declared,
      Principal: { AWS: 'arn:aws-us-gov:iam::111122223333:root' },
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws-us-gov:iam::111122223333:role/ops' } },
    }),
    expect: { fires: false },
  },
  {
    name: "a platform role trusting a role of the partner's account",
    artifacts: platformRole({ ...declared, Principal: { AWS: 'arn:aws-us-gov:iam::210987654321:role/ops' } }),
    expect: { fires: true, message: /admits principals of partner account 210987654321/ },
  },
  {
    name: 'a platform role trusting "*" of the partner\'s account by aws:PrincipalAccount',
    artifacts: platformRole({
      ...declared,
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalAccount': '210987654321' } },
    }),
    expect: { fires: true, message: /admits principals of partner account 210987654321/ },
  },
];

/** A role of a platform stack (the example account is the platform's here; the partner's is 210987654321). */
function platformRole(statement: Record<string, unknown>): ExampleArtifacts {
  return {
    ...cfn({
      Ops: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [statement] } } },
    }),
    intent: intentOf('111122223333', '210987654321'),
  };
}
