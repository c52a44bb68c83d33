/**
 * What the resolver cannot decide is reported as undecided (status unknown, severity warning),
 * never passed in silence: the same fragments with a literal in place of the intrinsic fail or pass.
 */
import { exampleArtifacts } from '../../policies/engine/examples';
import { evaluate } from '../../policies/engine/run';
import type { CfnTemplate } from '../../policies/engine/types';
import { RULES } from '../../policies/registry';

const rule = (id: string) => RULES.find((r) => r.id === id)!;
const UNKNOWN_PARAM = { Ref: 'DeployTimeValue' };
const withParam = (resources: Record<string, unknown>): CfnTemplate => ({
  Parameters: { DeployTimeValue: { Type: 'String' } },
  Resources: resources as CfnTemplate['Resources'],
});
const judge = (id: string, t: CfnTemplate) =>
  evaluate(exampleArtifacts({ aws: { 'Site-example': t } }), [rule(id)]);

const restrictedVpc = {
  Type: 'AWS::EC2::VPC',
  Properties: { Tags: [{ Key: 'genesis:classification', Value: 'cui' }] },
};
const role = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } };
const policy = (statement: Record<string, unknown>) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [statement] } },
});

describe.each([
  [
    'GEN-AWS-IAM-001',
    (x: unknown) =>
      withParam({ Role: role, P: policy({ Effect: 'Allow', Action: x, Resource: 'arn:aws:s3:::b/*' }) }),
    's3:*',
  ],
  [
    'GEN-AWS-IAM-002',
    (x: unknown) =>
      withParam({ Role: role, P: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: x }) }),
    '*',
  ],
  [
    'GEN-AWS-NET-004',
    (x: unknown) =>
      withParam({
        Vpc: restrictedVpc,
        Sg: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: {
            VpcId: { Ref: 'Vpc' },
            SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: x }],
          },
        },
      }),
    '0.0.0.0/0',
  ],
  [
    'GEN-AWS-DP-001',
    (x: unknown) =>
      withParam({
        B: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: x } }],
            },
          },
        },
      }),
    'AES256',
  ],
  [
    'GEN-AWS-IAM-005',
    (x: unknown) =>
      withParam({
        R: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [{ Effect: 'Allow', Principal: { AWS: x }, Action: 'sts:AssumeRole' }],
            },
          },
        },
      }),
    '*',
  ],
  [
    'GEN-AWS-NET-001',
    (x: unknown) =>
      withParam({
        Vpc: restrictedVpc,
        Igw: { Type: 'AWS::EC2::InternetGateway', Properties: {} },
        A: {
          Type: 'AWS::EC2::VPCGatewayAttachment',
          Properties: { VpcId: x, InternetGatewayId: { Ref: 'Igw' } },
        },
      }),
    { Ref: 'Vpc' },
  ],
])('%s', (id, template, literal) => {
  it('is undecided when the value depends on a parameter without default', () => {
    const findings = judge(id, template(UNKNOWN_PARAM));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f).toMatchObject({ ruleId: id, status: 'unknown', severity: 'warning' });
    expect(findings[0].message).toMatch(/could not decide.*parameter "DeployTimeValue" has no default/);
  });

  it('does not pass under Fn::If on a condition it cannot evaluate', () => {
    // both branches are the literal: the value is decided whatever the condition
    const t = template({ 'Fn::If': ['Maybe', literal, literal] });
    const findings = judge(id, { ...t, Conditions: { Maybe: { 'Fn::Equals': [UNKNOWN_PARAM, 'x'] } } });
    expect(findings.map((f) => f.status)).toContain('fail');
  });

  it('is undecided when the value is a parameter with a default, which another value may replace', () => {
    const t = template(UNKNOWN_PARAM);
    const findings = judge(id, {
      ...t,
      Parameters: { DeployTimeValue: { Type: 'String', Default: 'harmless' } },
    });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f).toMatchObject({ ruleId: id, status: 'unknown', severity: 'warning' });
  });

  it('fails when the same value is a literal', () => {
    expect(judge(id, template(literal)).map((f) => f.status)).toContain('fail');
  });
});

describe('values a deploy-time choice may take', () => {
  const grant = (
    action: unknown,
    parameters: CfnTemplate['Parameters'],
    conditions?: CfnTemplate['Conditions'],
  ): CfnTemplate => ({
    Parameters: parameters,
    Conditions: conditions,
    Resources: {
      Role: role,
      P: policy({ Effect: 'Allow', Action: action, Resource: 'arn:aws:s3:::b/*' }),
    } as CfnTemplate['Resources'],
  });
  const mode = { Mode: { Type: 'String', Default: 'a' } };
  const isB = { IsB: { 'Fn::Equals': [{ Ref: 'Mode' }, 'b'] } };

  it('fails when either branch of an undecidable Fn::If is a wildcard', () => {
    expect(
      judge('GEN-AWS-IAM-001', grant({ 'Fn::If': ['IsB', 's3:*', 's3:GetObject'] }, mode, isB)).map(
        (f) => f.status,
      ),
    ).toEqual(['fail']);
    expect(
      judge('GEN-AWS-IAM-001', grant([{ 'Fn::If': ['IsB', 's3:GetObject', 'kms:*'] }], mode, isB)).map(
        (f) => f.status,
      ),
    ).toEqual(['fail']);
  });

  it('is undecided when both branches are fine', () => {
    expect(
      judge('GEN-AWS-IAM-001', grant({ 'Fn::If': ['IsB', 's3:PutObject', 's3:GetObject'] }, mode, isB)).map(
        (f) => f.status,
      ),
    ).toEqual(['unknown']);
  });

  it('fails when a parameter default or allowed value is a wildcard', () => {
    expect(
      judge('GEN-AWS-IAM-001', grant({ Ref: 'Mode' }, { Mode: { Type: 'String', Default: 's3:*' } })).map(
        (f) => f.status,
      ),
    ).toEqual(['fail']);
    expect(
      judge(
        'GEN-AWS-IAM-001',
        grant(
          { Ref: 'Mode' },
          { Mode: { Type: 'String', Default: 's3:GetObject', AllowedValues: ['s3:GetObject', 's3:*'] } },
        ),
      ).map((f) => f.status),
    ).toEqual(['fail']);
  });

  it('decides when AllowedValues pins the parameter to one value', () => {
    expect(
      judge(
        'GEN-AWS-IAM-001',
        grant(
          { Ref: 'Mode' },
          { Mode: { Type: 'String', Default: 's3:GetObject', AllowedValues: ['s3:GetObject'] } },
        ),
      ),
    ).toEqual([]);
  });
});

describe('only what a verdict depends on makes it undecided', () => {
  const bucketPolicy = (condition: unknown) =>
    withParam({
      P: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: 'b',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::b/*',
                Condition: condition,
              },
            ],
          },
        },
      },
    });

  it('decides when only a condition value the rule does not read is unknown', () => {
    expect(
      judge(
        'GEN-AWS-IAM-006',
        bucketPolicy({
          StringEquals: { 'aws:PrincipalAccount': '111122223333' },
          StringLike: { 'aws:UserAgent': UNKNOWN_PARAM },
        }),
      ),
    ).toEqual([]);
  });

  it('is undecided when the value of the condition that would pin the caller is unknown', () => {
    expect(
      judge('GEN-AWS-IAM-006', bucketPolicy({ StringEquals: { 'aws:SourceVpce': UNKNOWN_PARAM } })).map(
        (f) => f.status,
      ),
    ).toEqual(['unknown']);
  });

  it('is undecided when the condition block itself is unknown', () => {
    expect(
      judge('GEN-AWS-IAM-006', bucketPolicy({ 'Fn::If': ['Nope', {}, { Ref: 'AWS::NoValue' }] })).map(
        (f) => f.status,
      ),
    ).toEqual(['unknown']);
  });

  it('is undecided when the grant end date is unknown', () => {
    const t = withParam({
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'genesis-acme-data',
          Tags: [{ Key: 'genesis:tenant', Value: 'acme' }],
          AssumeRolePolicyDocument: { Statement: [] },
        },
      },
      P: policy({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { DateLessThan: { 'aws:CurrentTime': UNKNOWN_PARAM } },
      }),
    });
    expect(judge('GEN-AWS-IAM-004', t).map((f) => f.status)).toEqual(['unknown']);
  });
});
