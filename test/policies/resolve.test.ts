/** The CloudFormation intrinsic evaluator: examples for each function and properties with fast-check. */
import fc from 'fast-check';
import { Assembly, type Unknown, containsUnknown, isUnknown } from '../../policies/engine/cfn/resolve';
import { resourceLines } from '../../policies/engine/json-lines';
import { policySize } from '../../policies/engine/rule-kit';
import type { CfnTemplate, StackArtifact } from '../../policies/engine/types';

function stack(
  stackName: string,
  template: CfnTemplate,
  env: { account?: string; region?: string } = { account: '111122223333', region: 'us-gov-west-1' },
): StackArtifact {
  const text = JSON.stringify(template, null, 1);
  return {
    stackName,
    file: `aws/${stackName}.template.json`,
    template,
    bytes: text.length,
    ...env,
    resourceLines: resourceLines(text),
    constructPaths: new Map(),
  };
}
const resolveIn = (template: CfnTemplate, value: unknown, others: StackArtifact[] = []) => {
  const s = stack('Main', template);
  return new Assembly([s, ...others]).resolver(s).resolve(value);
};

const TEMPLATE: CfnTemplate = {
  Parameters: {
    Env: { Type: 'String', Default: 'prod' },
    Pinned: { Type: 'String', Default: 'prod', AllowedValues: ['prod'] },
    Choice: { Type: 'String', Default: 'a', AllowedValues: ['a', 'b'] },
    NoDefault: { Type: 'String' },
    Ssm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/x' },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Pinned' }, 'prod'] },
    EnvIsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    Unknowable: { 'Fn::Equals': [{ Ref: 'NoDefault' }, 'x'] },
    Not: { 'Fn::Not': [{ Condition: 'IsProd' }] },
  },
  Mappings: { Tiers: { archive: { Class: 'GLACIER_IR' } } },
  Resources: {
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: { 'Fn::Sub': 'genesis-${AWS::AccountId}-data' } },
    },
    Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'genesis-acme-data' } },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
  },
};

describe('intrinsics', () => {
  it.each([
    ['Ref pseudo parameters', { Ref: 'AWS::Partition' }, 'aws-us-gov'],
    ['Ref account', { Ref: 'AWS::AccountId' }, '111122223333'],
    ['Ref parameter pinned by AllowedValues', { Ref: 'Pinned' }, 'prod'],
    [
      'If with equal branches on an undecidable condition',
      { 'Fn::If': ['Unknowable', 'same', 'same'] },
      'same',
    ],
    ['Ref bucket gives its name', { Ref: 'Bucket' }, 'genesis-111122223333-data'],
    [
      'GetAtt bucket Arn',
      { 'Fn::GetAtt': ['Bucket', 'Arn'] },
      'arn:aws-us-gov:s3:::genesis-111122223333-data',
    ],
    [
      'GetAtt dotted form',
      { 'Fn::GetAtt': 'Role.Arn' },
      'arn:aws-us-gov:iam::111122223333:role/genesis-acme-data',
    ],
    ['GetAtt without a physical name is symbolic', { 'Fn::GetAtt': ['Key', 'Arn'] }, '{{Main.Key.Arn}}'],
    [
      'Join',
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']] },
      'arn:aws-us-gov:s3:::genesis-111122223333-data/*',
    ],
    [
      'Sub with variables and GetAtt',
      { 'Fn::Sub': ['${B}/${Bucket.Arn}/${!Literal}', { B: 'x' }] },
      'x/arn:aws-us-gov:s3:::genesis-111122223333-data/${Literal}',
    ],
    ['Select', { 'Fn::Select': [1, ['a', 'b', 'c']] }, 'b'],
    ['Split', { 'Fn::Split': [',', 'a,b'] }, ['a', 'b']],
    ['If on a decidable condition', { 'Fn::If': ['IsProd', 'yes', 'no'] }, 'yes'],
    ['If on a negated condition', { 'Fn::If': ['Not', 'yes', 'no'] }, 'no'],
    ['FindInMap', { 'Fn::FindInMap': ['Tiers', 'archive', 'Class'] }, 'GLACIER_IR'],
    ['NoValue removes a key', { A: 1, B: { Ref: 'AWS::NoValue' } }, { A: 1 }],
    ['NoValue removes a list element', ['a', { 'Fn::If': ['IsProd', { Ref: 'AWS::NoValue' }, 'b'] }], ['a']],
  ])('%s', (_name, expr, expected) => {
    expect(resolveIn(TEMPLATE, expr)).toEqual(expected);
  });

  it.each([
    ['a parameter without default', { Ref: 'NoDefault' }, 'no default'],
    ['an SSM parameter', { Ref: 'Ssm' }, 'SSM'],
    ['Fn::If on an undecidable condition', { 'Fn::If': ['Unknowable', 'a', 'b'] }, 'cannot be decided'],
    ['Fn::GetAZs', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, 'GetAZs'],
    ['a Ref to an undeclared resource', { Ref: 'Missing' }, 'does not declare'],
    ['an import with no export', { 'Fn::ImportValue': 'nope' }, 'exports'],
    ['Join over an unknown part', { 'Fn::Join': ['-', ['a', { Ref: 'NoDefault' }]] }, 'no default'],
    [
      'a parameter with a default (another value may be passed at deploy time)',
      { Ref: 'Env' },
      'chosen at deploy time',
    ],
    ['a parameter with several allowed values', { Ref: 'Choice' }, 'allowed "a", "b"'],
    [
      'Fn::If on a condition over a defaulted parameter',
      { 'Fn::If': ['EnvIsProd', 'yes', 'no'] },
      'cannot be decided',
    ],
  ])('reports %s as unknown', (_name, expr, reason) => {
    const v = resolveIn(TEMPLATE, expr);
    expect(isUnknown(v)).toBe(true);
    expect((v as Unknown).reason).toContain(reason);
  });

  it.each([
    ['a defaulted parameter: its default', { Ref: 'Env' }, ['prod']],
    ['a parameter with allowed values: each of them', { Ref: 'Choice' }, ['a', 'b']],
    [
      'an undecidable Fn::If: both branches',
      { 'Fn::If': ['EnvIsProd', 's3:*', 's3:GetObject'] },
      ['s3:*', 's3:GetObject'],
    ],
  ])('keeps the known alternatives of %s', (_name, expr, alternatives) => {
    const v = resolveIn(TEMPLATE, expr);
    expect(isUnknown(v) && v.alternatives).toEqual(alternatives);
  });

  it('resolves Fn::ImportValue through the exporting stack', () => {
    const exporter = stack('Site', {
      Resources: {
        Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'shared' } },
        Vpc: { Type: 'AWS::EC2::VPC', Properties: {} },
      },
      Outputs: {
        B: {
          Value: { 'Fn::GetAtt': ['Data', 'Arn'] },
          Export: { Name: { 'Fn::Sub': '${AWS::StackName}-bucket' } },
        },
        V: { Value: { Ref: 'Vpc' }, Export: { Name: 'site-vpc' } },
      },
    });
    expect(resolveIn({ Resources: {} }, { 'Fn::ImportValue': 'Site-bucket' }, [exporter])).toBe(
      'arn:aws-us-gov:s3:::shared',
    );
    expect(resolveIn({ Resources: {} }, { 'Fn::ImportValue': 'site-vpc' }, [exporter])).toBe(
      '{{Site.Vpc.Ref}}',
    );
  });

  it('leaves the account symbolic when the assembly does not pin it', () => {
    const s = stack('Free', { Resources: {} }, {});
    expect(
      new Assembly([s])
        .resolver(s)
        .resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }),
    ).toBe('arn:{{AWS::Partition}}:iam::{{AWS::AccountId}}:root');
  });

  it('stops on reference cycles', () => {
    const t: CfnTemplate = {
      Resources: { A: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'A' } } } },
    };
    expect(() => resolveIn(t, { Ref: 'A' })).not.toThrow();
  });
});

const literal = fc.string({ maxLength: 12 }).filter((s) => !s.includes('${'));
const json = fc
  .jsonValue({ maxDepth: 3 })
  .filter(
    (v) =>
      !JSON.stringify(v).includes('"Ref"') &&
      !JSON.stringify(v).includes('"Fn::') &&
      !JSON.stringify(v).includes('"Condition"'),
  );

test('keeps a "__proto__" key as a property of the copy (JSON.parse makes it an own property)', () => {
  const v = JSON.parse('{"__proto__": {"Action": "s3:*"}, "b": 1}');
  const r = resolveIn(TEMPLATE, v) as Record<string, unknown>;
  expect(Object.keys(r)).toEqual(['__proto__', 'b']);
  expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  expect(r).toEqual(v);
});

describe('properties', () => {
  it('leaves JSON without intrinsics unchanged', () => {
    fc.assert(fc.property(json, (v) => expect(resolveIn(TEMPLATE, v)).toEqual(v)));
  });

  it('Fn::Join of literals is Array.join', () => {
    fc.assert(
      fc.property(literal, fc.array(literal, { maxLength: 6 }), (sep, parts) =>
        expect(resolveIn(TEMPLATE, { 'Fn::Join': [sep, parts] })).toBe(parts.join(sep)),
      ),
    );
  });

  it('Fn::Sub substitutes every variable of the map', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}$/);
    fc.assert(
      fc.property(fc.dictionary(name, literal, { minKeys: 1, maxKeys: 4 }), literal, (vars, tail) => {
        const keys = Object.keys(vars);
        const template = keys.map((k) => `\${${k}}`).join('/') + tail;
        expect(resolveIn(TEMPLATE, { 'Fn::Sub': [template, vars] })).toBe(
          keys.map((k) => vars[k]).join('/') + tail,
        );
      }),
    );
  });

  it('Fn::Select picks the element; out of range is unknown', () => {
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 6 }), fc.nat(8), (list, i) => {
        const v = resolveIn(TEMPLATE, { 'Fn::Select': [i, list] });
        if (i < list.length) expect(v).toBe(list[i]);
        else expect(isUnknown(v)).toBe(true);
      }),
    );
  });

  it('an unknown anywhere inside a string expression makes it unknown, never a guess', () => {
    const unknownLeaf = fc.constantFrom<unknown>(
      { Ref: 'NoDefault' },
      { 'Fn::GetAZs': '' },
      { 'Fn::If': ['Unknowable', 'a', 'b'] },
      { 'Fn::ImportValue': 'missing' },
    );
    fc.assert(
      fc.property(
        fc.array(literal, { maxLength: 4 }),
        unknownLeaf,
        fc.nat(4),
        fc.constantFrom('join', 'sub'),
        (parts, leaf, at, form) => {
          const items: unknown[] = [...parts];
          items.splice(Math.min(at, items.length), 0, leaf);
          const expr =
            form === 'join'
              ? { 'Fn::Join': ['-', items] }
              : {
                  'Fn::Sub': [
                    items.map((_, i) => `\${v${i}}`).join('-'),
                    Object.fromEntries(items.map((x, i) => [`v${i}`, x])),
                  ],
                };
          expect(containsUnknown(resolveIn(TEMPLATE, expr))).toBe(true);
        },
      ),
    );
  });

  it('resolution is deterministic', () => {
    fc.assert(
      fc.property(fc.array(literal, { maxLength: 5 }), (parts) => {
        const expr = {
          'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, ...parts, { 'Fn::GetAtt': ['Key', 'Arn'] }]],
        };
        expect(resolveIn(TEMPLATE, expr)).toEqual(resolveIn(TEMPLATE, expr));
      }),
    );
  });
});

describe('resource lines', () => {
  it('finds the line of each resource, whatever the indentation', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 1, 2, 4),
        (ids, indent) => {
          const template = {
            Description: 'x\ny',
            Resources: Object.fromEntries(
              ids.map((id) => [id, { Type: 'AWS::SNS::Topic', Properties: { Resources: { Inner: 1 } } }]),
            ),
          };
          const text = JSON.stringify(template, null, indent);
          const lines = resourceLines(text);
          expect([...lines.keys()].sort()).toEqual([...ids].sort());
          if (indent > 0)
            for (const id of ids) expect(text.split('\n')[lines.get(id)! - 1]).toContain(`"${id}":`);
        },
      ),
    );
  });
});

describe('policy size', () => {
  it('counts no white space and deploy-time values at their deployed length', () => {
    expect(policySize({ Statement: [{ Sid: 'a b' }] })).toBe(
      JSON.stringify({ Statement: [{ Sid: 'ab' }] }).length,
    );
    expect(policySize({ R: 'arn:{{AWS::Partition}}:iam::{{AWS::AccountId}}:root' })).toBe(
      JSON.stringify({ R: 'arn:aws-us-gov:iam::111122223333:root' }).length,
    );
    expect(policySize({ R: '{{Site.Key.Arn}}' })).toBe(JSON.stringify({ R: '' }).length + 100);
  });
});
