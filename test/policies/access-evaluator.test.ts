/**
 * The access evaluator, table-driven: each case is one request against a set of policies and the
 * decision IAM documents for it (allow, deny, or undecided where the evaluator cannot know).
 */
import type { Statement } from '../../policies/engine/iam';
import { Unknown } from '../../policies/engine/cfn/resolve';
import { authorize, type Layers } from '../../policies/analysis/access/evaluate';
import {
  anonymousPrincipal,
  externalPrincipal,
  otherPrincipal,
  request,
  rolePrincipal,
  rootPrincipal,
  servicePrincipal,
} from '../../policies/analysis/access/principals';
import type { Doc, Principal, Tri } from '../../policies/analysis/access/types';

const ACCT = '111122223333';
const P = 'aws-us-gov';
const ROLE = `arn:${P}:iam::${ACCT}:role/genesis-acme-data`;
const BUCKET = `arn:${P}:s3:::genesis-${ACCT}-genomics`;
const OBJ = `${BUCKET}/cohort/a.vcf`;
const KEY = `arn:${P}:kms:us-gov-west-1:${ACCT}:key/1234`;
const role = (tags: Record<string, string> = {}): Principal =>
  rolePrincipal(ROLE, ACCT, new Map(Object.entries(tags)));

const doc = (statements: Statement[], policy = 'Policy'): Doc => ({
  statements,
  witness: { file: 'aws/T.template.json', resource: 'aws:T/Res', policy },
});
const allow = (Action: unknown, Resource: unknown = '*', Condition?: unknown): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  Condition,
});
const deny = (Action: unknown, Resource: unknown = '*', Condition?: unknown): Statement => ({
  Effect: 'Deny',
  Action,
  Resource,
  Condition,
});
const rAllow = (
  Principal: unknown,
  Action: unknown,
  Resource: unknown = '*',
  Condition?: unknown,
): Statement => ({ Effect: 'Allow', Principal, Action, Resource, Condition });
const rDeny = (
  Principal: unknown,
  Action: unknown,
  Resource: unknown = '*',
  Condition?: unknown,
): Statement => ({ Effect: 'Deny', Principal, Action, Resource, Condition });
const id = (...s: Statement[]): Layers => ({ identity: [doc(s)], sameAccount: true });

interface Case {
  readonly name: string;
  readonly principal?: Principal;
  readonly action?: string;
  readonly resource?: string;
  readonly context?: Record<string, string | string[]>;
  readonly layers: Layers;
  readonly expect: Tri;
}

const AT = (t: string) => ({ 'aws:CurrentTime': t });
const cond = (op: string, key: string, v: unknown) => ({ [op]: { [key]: v } });
/** A one-statement identity policy with a condition, evaluated in a context. */
const c = (
  name: string,
  op: string,
  key: string,
  v: unknown,
  context: Record<string, string | string[]>,
  expect: Tri,
): Case => ({
  name,
  context,
  layers: id(allow('s3:GetObject', '*', cond(op, key, v))),
  expect,
});

const CASES: Case[] = [
  // ---- actions and resources
  { name: 'exact action and resource allow', layers: id(allow('s3:GetObject', OBJ)), expect: true },
  { name: 'no statement: implicit deny', layers: id(), expect: false },
  { name: 'action is case-insensitive', layers: id(allow('S3:getobject', OBJ)), expect: true },
  { name: 'action wildcard s3:Get*', layers: id(allow('s3:Get*', OBJ)), expect: true },
  { name: 'action wildcard s3:*Object', layers: id(allow('s3:*Object', OBJ)), expect: true },
  { name: 'action ? wildcard', layers: id(allow('s3:GetObjec?', OBJ)), expect: true },
  { name: 'other action does not match', layers: id(allow('s3:PutObject', OBJ)), expect: false },
  { name: 'action "*"', layers: id(allow('*', '*')), expect: true },
  { name: 'resource wildcard bucket/*', layers: id(allow('s3:GetObject', `${BUCKET}/*`)), expect: true },
  {
    name: 'bucket ARN alone does not cover objects',
    layers: id(allow('s3:GetObject', BUCKET)),
    expect: false,
  },
  { name: 'resource is case-sensitive', layers: id(allow('s3:GetObject', OBJ.toUpperCase())), expect: false },
  {
    name: 'resource wildcard across buckets',
    layers: id(allow('s3:GetObject', `arn:${P}:s3:::genesis-${ACCT}-*/*`)),
    expect: true,
  },
  {
    name: 'resource of another bucket',
    layers: id(allow('s3:GetObject', `arn:${P}:s3:::other/*`)),
    expect: false,
  },
  {
    name: 'NotAction allows everything else',
    layers: id({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    expect: true,
  },
  {
    name: 'NotAction excludes the action',
    layers: id({ Effect: 'Allow', NotAction: 's3:Get*', Resource: '*' }),
    expect: false,
  },
  {
    name: 'NotResource allows other resources',
    layers: id({ Effect: 'Allow', Action: 's3:*', NotResource: `arn:${P}:s3:::logs/*` }),
    expect: true,
  },
  {
    name: 'NotResource excludes the resource',
    layers: id({ Effect: 'Allow', Action: 's3:*', NotResource: `${BUCKET}/*` }),
    expect: false,
  },
  {
    name: 'Deny with NotAction covering the action',
    layers: id(allow('s3:*'), { Effect: 'Deny', NotAction: 'kms:*', Resource: '*' }),
    expect: false,
  },
  {
    name: 'Deny with NotResource elsewhere does not apply',
    layers: id(allow('s3:*'), { Effect: 'Deny', Action: '*', NotResource: `${BUCKET}/*` }),
    expect: true,
  },
  {
    name: 'resource policy variable ${aws:PrincipalTag/team}',
    context: {},
    principal: role({ team: 'genomics' }),
    layers: id(allow('s3:GetObject', `arn:${P}:s3:::genesis-${ACCT}-\${aws:PrincipalTag/team}/*`)),
    expect: true,
  },
  {
    name: 'policy variable of a missing tag matches nothing',
    layers: id(allow('s3:GetObject', `arn:${P}:s3:::genesis-${ACCT}-\${aws:PrincipalTag/team}/*`)),
    expect: false,
  },
  {
    name: 'unresolved Resource is undecided',
    layers: id(allow('s3:GetObject', new Unknown('parameter'))),
    expect: 'undecided',
  },
  {
    name: 'unresolved Action is undecided',
    layers: id(allow([new Unknown('if')], OBJ)),
    expect: 'undecided',
  },
  {
    name: 'Effect that is not Allow/Deny is undecided',
    layers: id(allow('s3:*'), { Effect: 'Maybe', Action: 's3:*', Resource: '*' }),
    expect: 'undecided',
  },
  // ---- deny precedence
  { name: 'explicit deny beats allow', layers: id(allow('s3:*'), deny('s3:GetObject')), expect: false },
  {
    name: 'deny in a second policy beats allow',
    layers: { identity: [doc([allow('s3:*')]), doc([deny('s3:*')], 'Other')], sameAccount: true },
    expect: false,
  },
  {
    name: 'deny in the bucket policy beats identity allow',
    layers: { ...id(allow('s3:*')), resource: [doc([rDeny('*', 's3:*')], 'Bucket')] },
    expect: false,
  },
  {
    name: 'deny in the boundary beats allow',
    layers: { ...id(allow('s3:*')), boundary: [doc([allow('*'), deny('s3:GetObject')], 'boundary')] },
    expect: false,
  },
  {
    name: 'deny whose condition fails does not apply',
    layers: id(allow('s3:*'), deny('s3:*', '*', cond('Bool', 'aws:SecureTransport', 'false'))),
    expect: true,
  },
  {
    name: 'deny on an undecided condition makes the cell undecided',
    layers: id(allow('s3:*'), deny('s3:*', '*', cond('StringEquals', 'aws:SomethingUnmodelled', 'x'))),
    expect: 'undecided',
  },
  {
    name: 'allow with an unknown condition key is undecided',
    layers: id(allow('s3:*', '*', cond('StringEquals', 'aws:SomethingUnmodelled', 'x'))),
    expect: 'undecided',
  },
  {
    name: 'deny on an unknown key is moot when nothing allows',
    layers: id(deny('s3:*', '*', cond('StringEquals', 'aws:SomethingUnmodelled', 'x'))),
    expect: false,
  },
  {
    name: 'unknown operator is undecided',
    layers: id(allow('s3:*', '*', cond('StringSortOf', 'aws:PrincipalArn', ROLE))),
    expect: 'undecided',
  },
  // ---- permissions boundary
  {
    name: 'boundary allowing the action: allowed',
    layers: {
      ...id(allow('s3:GetObject', OBJ)),
      boundary: [doc([allow('s3:GetObject', `${BUCKET}/*`)], 'boundary')],
    },
    expect: true,
  },
  {
    name: 'boundary not allowing the action: denied',
    layers: {
      ...id(allow('s3:GetObject', OBJ)),
      boundary: [doc([allow('s3:ListBucket', BUCKET)], 'boundary')],
    },
    expect: false,
  },
  {
    name: 'boundary alone grants nothing',
    layers: { identity: [], boundary: [doc([allow('*')], 'boundary')], sameAccount: true },
    expect: false,
  },
  {
    name: 'boundary limits a bucket policy naming the role',
    layers: {
      identity: [],
      boundary: [doc([allow('kms:*')], 'boundary')],
      resource: [doc([rAllow({ AWS: ROLE }, 's3:GetObject', OBJ)], 'Bucket')],
      sameAccount: true,
    },
    expect: false,
  },
  {
    name: 'bucket policy naming the role grants within the boundary',
    layers: {
      identity: [],
      boundary: [doc([allow('s3:*')], 'boundary')],
      resource: [doc([rAllow({ AWS: ROLE }, 's3:GetObject', OBJ)], 'Bucket')],
      sameAccount: true,
    },
    expect: true,
  },
  {
    name: 'root user ignores boundaries and identity policies',
    principal: rootPrincipal(ACCT, P),
    layers: { identity: [], boundary: [doc([], 'boundary')], sameAccount: true },
    expect: true,
  },
  // ---- resource policies and principals
  {
    name: 'bucket policy naming the role grants without identity policy',
    layers: {
      identity: [],
      resource: [doc([rAllow({ AWS: ROLE }, 's3:GetObject', `${BUCKET}/*`)], 'Bucket')],
      sameAccount: true,
    },
    expect: true,
  },
  {
    name: 'bucket policy naming the account delegates to IAM (no identity allow)',
    layers: {
      identity: [],
      resource: [doc([rAllow({ AWS: `arn:${P}:iam::${ACCT}:root` }, 's3:GetObject')], 'Bucket')],
      sameAccount: true,
    },
    expect: false,
  },
  {
    name: 'bucket policy Principal "*" grants anonymous',
    principal: anonymousPrincipal(),
    layers: { identity: [], resource: [doc([rAllow('*', 's3:GetObject')], 'Bucket')], sameAccount: false },
    expect: true,
  },
  {
    name: 'anonymous without a public statement',
    principal: anonymousPrincipal(),
    layers: {
      identity: [],
      resource: [doc([rAllow({ AWS: ROLE }, 's3:GetObject')], 'Bucket')],
      sameAccount: false,
    },
    expect: false,
  },
  {
    name: 'service principal named by the bucket policy',
    principal: servicePrincipal('logging.s3.amazonaws.com'),
    layers: {
      identity: [],
      resource: [doc([rAllow({ Service: 'logging.s3.amazonaws.com' }, 's3:PutObject')], 'Bucket')],
      sameAccount: false,
    },
    action: 's3:PutObject',
    expect: true,
  },
  {
    name: 'other service principal not named',
    principal: servicePrincipal('cloudtrail.amazonaws.com'),
    layers: {
      identity: [],
      resource: [doc([rAllow({ Service: 'logging.s3.amazonaws.com' }, 's3:PutObject')], 'Bucket')],
      sameAccount: false,
    },
    action: 's3:PutObject',
    expect: false,
  },
  {
    name: 'NotPrincipal deny spares the named role',
    layers: {
      ...id(allow('s3:*')),
      resource: [
        doc([{ Effect: 'Deny', NotPrincipal: { AWS: ROLE }, Action: 's3:*', Resource: '*' }], 'Bucket'),
      ],
    },
    expect: true,
  },
  {
    name: 'NotPrincipal deny hits another role',
    principal: rolePrincipal(`arn:${P}:iam::${ACCT}:role/other`, ACCT),
    layers: {
      ...id(allow('s3:*')),
      resource: [
        doc([{ Effect: 'Deny', NotPrincipal: { AWS: ROLE }, Action: 's3:*', Resource: '*' }], 'Bucket'),
      ],
    },
    expect: false,
  },
  {
    name: 'principal outside the assembly: only resource denies stop it',
    principal: otherPrincipal(ACCT, P, new Set([ROLE])),
    layers: {
      identity: [],
      identityAll: true,
      resource: [doc([rAllow({ AWS: ROLE }, 's3:GetObject')], 'Bucket')],
      sameAccount: true,
    },
    expect: true,
  },
  {
    name: 'principal outside the assembly denied by an ArnNotLike deny',
    principal: otherPrincipal(ACCT, P, new Set([ROLE])),
    layers: {
      identity: [],
      identityAll: true,
      resource: [
        doc(
          [
            rDeny(
              { AWS: '*' },
              's3:*',
              '*',
              cond('ArnNotLike', 'aws:PrincipalArn', `arn:${P}:iam::${ACCT}:role/genesis-*-data`),
            ),
          ],
          'Bucket',
        ),
      ],
      sameAccount: true,
    },
    expect: false,
  },
  // ---- cross-account
  {
    name: 'cross-account: bucket policy naming the other account, their identity allows',
    principal: externalPrincipal(new Set([ACCT]), P),
    layers: {
      identity: [],
      identityAll: true,
      resource: [doc([rAllow({ AWS: '444455556666' }, 's3:GetObject')], 'Bucket')],
      sameAccount: false,
    },
    expect: true,
  },
  {
    name: 'cross-account: identity alone is not enough',
    principal: externalPrincipal(new Set([ACCT]), P),
    layers: {
      identity: [],
      identityAll: true,
      resource: [doc([rAllow({ AWS: ACCT }, 's3:GetObject')], 'Bucket')],
      sameAccount: false,
    },
    expect: false,
  },
  {
    name: 'cross-account: no bucket policy',
    principal: externalPrincipal(new Set([ACCT]), P),
    layers: { identity: [], identityAll: true, sameAccount: false },
    expect: false,
  },
  {
    name: 'cross-account: a role ARN of another account',
    principal: externalPrincipal(new Set([ACCT]), P),
    layers: {
      identity: [],
      identityAll: true,
      resource: [doc([rAllow({ AWS: 'arn:aws-us-gov:iam::444455556666:role/x' }, 's3:GetObject')], 'Bucket')],
      sameAccount: false,
    },
    expect: true,
  },
  {
    name: 'cross-account: own account entries do not name outsiders',
    principal: externalPrincipal(new Set([ACCT]), P),
    layers: {
      identity: [],
      identityAll: true,
      resource: [doc([rAllow({ AWS: ROLE }, 's3:GetObject')], 'Bucket')],
      sameAccount: false,
    },
    expect: false,
  },
  // ---- KMS key policies
  {
    name: 'key policy naming the root delegates to IAM: identity allows',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      ...id(allow('kms:Decrypt', KEY)),
      resource: [doc([rAllow({ AWS: `arn:${P}:iam::${ACCT}:root` }, 'kms:*')], 'KeyPolicy')],
      keyPolicy: true,
    },
    expect: true,
  },
  {
    name: 'key policy without delegation: identity allow is not enough',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      ...id(allow('kms:Decrypt', KEY)),
      resource: [doc([rAllow({ AWS: `arn:${P}:iam::${ACCT}:role/admin` }, 'kms:*')], 'KeyPolicy')],
      keyPolicy: true,
    },
    expect: false,
  },
  {
    name: 'key policy naming the role grants alone',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      identity: [],
      resource: [doc([rAllow({ AWS: ROLE }, 'kms:Decrypt')], 'KeyPolicy')],
      keyPolicy: true,
      sameAccount: true,
    },
    expect: true,
  },
  {
    name: 'key policy delegating only admin actions',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      ...id(allow('kms:*', '*')),
      resource: [
        doc([rAllow({ AWS: `arn:${P}:iam::${ACCT}:root` }, ['kms:Describe*', 'kms:Put*'])], 'KeyPolicy'),
      ],
      keyPolicy: true,
    },
    expect: false,
  },
  {
    name: 'kms:EncryptionContext matches the bucket',
    action: 'kms:Decrypt',
    resource: KEY,
    context: { 'kms:EncryptionContext:aws:s3:arn': BUCKET },
    layers: {
      ...id(allow('kms:Decrypt', KEY, cond('StringEquals', 'kms:EncryptionContext:aws:s3:arn', BUCKET))),
      resource: [doc([rAllow({ AWS: ACCT }, 'kms:*')], 'KeyPolicy')],
      keyPolicy: true,
    },
    expect: true,
  },
  {
    name: 'kms:EncryptionContext of another bucket',
    action: 'kms:Decrypt',
    resource: KEY,
    context: { 'kms:EncryptionContext:aws:s3:arn': `arn:${P}:s3:::other` },
    layers: {
      ...id(allow('kms:Decrypt', KEY, cond('StringEquals', 'kms:EncryptionContext:aws:s3:arn', BUCKET))),
      resource: [doc([rAllow({ AWS: ACCT }, 'kms:*')], 'KeyPolicy')],
      keyPolicy: true,
    },
    expect: false,
  },
  {
    name: 'kms:ViaService required and present',
    action: 'kms:Decrypt',
    resource: KEY,
    context: { 'kms:ViaService': 's3.us-gov-west-1.amazonaws.com' },
    layers: {
      identity: [],
      resource: [
        doc(
          [
            rAllow(
              { AWS: ROLE },
              'kms:Decrypt',
              '*',
              cond('StringEquals', 'kms:ViaService', 's3.us-gov-west-1.amazonaws.com'),
            ),
          ],
          'KeyPolicy',
        ),
      ],
      keyPolicy: true,
      sameAccount: true,
    },
    expect: true,
  },
  {
    name: 'kms:ViaService required and absent (direct call)',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      identity: [],
      resource: [
        doc(
          [
            rAllow(
              { AWS: ROLE },
              'kms:Decrypt',
              '*',
              cond('StringEquals', 'kms:ViaService', 's3.us-gov-west-1.amazonaws.com'),
            ),
          ],
          'KeyPolicy',
        ),
      ],
      keyPolicy: true,
      sameAccount: true,
    },
    expect: false,
  },
  {
    name: 'key policy deny by principal tag',
    action: 'kms:Decrypt',
    resource: KEY,
    principal: role({ 'genesis:data-key:cui': 'read' }),
    layers: {
      ...id(allow('kms:Decrypt')),
      resource: [
        doc(
          [
            rAllow({ AWS: ACCT }, 'kms:*'),
            rDeny(
              { AWS: '*' },
              'kms:Decrypt',
              '*',
              cond('StringNotEquals', 'aws:PrincipalTag/genesis:data-key:cui', ['read', 'write']),
            ),
          ],
          'KeyPolicy',
        ),
      ],
      keyPolicy: true,
    },
    expect: true,
  },
  {
    name: 'key policy deny hits a role without the tag',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      ...id(allow('kms:Decrypt')),
      resource: [
        doc(
          [
            rAllow({ AWS: ACCT }, 'kms:*'),
            rDeny(
              { AWS: '*' },
              'kms:Decrypt',
              '*',
              cond('StringNotEquals', 'aws:PrincipalTag/genesis:data-key:cui', ['read', 'write']),
            ),
          ],
          'KeyPolicy',
        ),
      ],
      keyPolicy: true,
    },
    expect: false,
  },
  {
    name: 'ForAnyValue kms:ResourceAliases matches one alias',
    action: 'kms:Decrypt',
    resource: KEY,
    context: { 'kms:ResourceAliases': ['alias/a', 'alias/genesis/data-cui'] },
    layers: {
      ...id(
        allow(
          'kms:Decrypt',
          '*',
          cond('ForAnyValue:StringEquals', 'kms:ResourceAliases', 'alias/genesis/data-cui'),
        ),
      ),
      resource: [doc([rAllow({ AWS: ACCT }, 'kms:*')], 'KeyPolicy')],
      keyPolicy: true,
    },
    expect: true,
  },
  {
    name: 'ForAnyValue on a key with no values is false',
    action: 'kms:Decrypt',
    resource: KEY,
    layers: {
      ...id(
        allow(
          'kms:Decrypt',
          '*',
          cond('ForAnyValue:StringEquals', 'kms:ResourceAliases', 'alias/genesis/data-cui'),
        ),
      ),
      resource: [doc([rAllow({ AWS: ACCT }, 'kms:*')], 'KeyPolicy')],
      keyPolicy: true,
    },
    expect: false,
  },
  // ---- VPC endpoints
  {
    name: 'endpoint policy allows the request',
    context: { 'aws:SourceVpce': 'vpce-1' },
    layers: {
      ...id(allow('s3:*')),
      endpoint: [
        doc(
          [rAllow({ AWS: '*' }, 's3:*', '*', cond('StringEquals', 'aws:PrincipalAccount', ACCT))],
          'Endpoint',
        ),
      ],
    },
    expect: true,
  },
  {
    name: 'endpoint policy does not allow the principal account',
    principal: rolePrincipal(`arn:${P}:iam::444455556666:role/x`, '444455556666'),
    context: { 'aws:SourceVpce': 'vpce-1' },
    layers: {
      ...id(allow('s3:*')),
      endpoint: [
        doc(
          [rAllow({ AWS: '*' }, 's3:*', '*', cond('StringEquals', 'aws:PrincipalAccount', ACCT))],
          'Endpoint',
        ),
      ],
    },
    expect: false,
  },
  {
    name: 'endpoint policy with an explicit deny',
    context: { 'aws:SourceVpce': 'vpce-1' },
    layers: {
      ...id(allow('s3:*')),
      endpoint: [doc([rAllow('*', 's3:*'), rDeny('*', 's3:GetObject')], 'Endpoint')],
    },
    expect: false,
  },
  {
    name: 'bucket deny outside the enclave endpoint: through it',
    context: { 'aws:SourceVpce': 'vpce-1' },
    layers: {
      ...id(allow('s3:*')),
      resource: [
        doc(
          [rDeny({ AWS: '*' }, 's3:*', '*', cond('StringNotEqualsIfExists', 'aws:SourceVpce', ['vpce-1']))],
          'Bucket',
        ),
      ],
    },
    expect: true,
  },
  {
    name: 'bucket deny outside the enclave endpoint: through another',
    context: { 'aws:SourceVpce': 'vpce-2' },
    layers: {
      ...id(allow('s3:*')),
      resource: [
        doc(
          [rDeny({ AWS: '*' }, 's3:*', '*', cond('StringNotEqualsIfExists', 'aws:SourceVpce', ['vpce-1']))],
          'Bucket',
        ),
      ],
    },
    expect: false,
  },
  {
    name: 'bucket deny outside the enclave endpoint: no endpoint at all (IfExists holds)',
    layers: {
      ...id(allow('s3:*')),
      resource: [
        doc(
          [rDeny({ AWS: '*' }, 's3:*', '*', cond('StringNotEqualsIfExists', 'aws:SourceVpce', ['vpce-1']))],
          'Bucket',
        ),
      ],
    },
    expect: false,
  },
  {
    name: 'bucket deny with StringNotEquals: no endpoint is denied',
    layers: {
      ...id(allow('s3:*')),
      resource: [
        doc(
          [rDeny({ AWS: '*' }, 's3:*', '*', cond('StringNotEquals', 'aws:SourceVpce', ['vpce-1']))],
          'Bucket',
        ),
      ],
    },
    expect: false,
  },
  c(
    'aws:SourceVpc StringEquals matches',
    'StringEquals',
    'aws:SourceVpc',
    'vpc-1',
    { 'aws:SourceVpc': 'vpc-1' },
    true,
  ),
  c(
    'aws:SourceVpc StringEquals other VPC',
    'StringEquals',
    'aws:SourceVpc',
    'vpc-1',
    { 'aws:SourceVpc': 'vpc-9' },
    false,
  ),
  // ---- string operators
  c('StringEquals', 'StringEquals', 'aws:PrincipalTag/team', 'a', { 'aws:PrincipalTag/team': 'a' }, true),
  c(
    'StringEquals is case-sensitive',
    'StringEquals',
    'aws:PrincipalTag/team',
    'A',
    { 'aws:PrincipalTag/team': 'a' },
    false,
  ),
  c('StringEquals on an absent key', 'StringEquals', 'aws:PrincipalTag/team', 'a', {}, false),
  c('StringEqualsIfExists on an absent key', 'StringEqualsIfExists', 'aws:PrincipalTag/team', 'a', {}, true),
  c(
    'StringEqualsIfExists on a present key that differs',
    'StringEqualsIfExists',
    'aws:PrincipalTag/team',
    'a',
    { 'aws:PrincipalTag/team': 'b' },
    false,
  ),
  c(
    'StringNotEquals',
    'StringNotEquals',
    'aws:PrincipalTag/team',
    'a',
    { 'aws:PrincipalTag/team': 'b' },
    true,
  ),
  c('StringNotEquals on an absent key is true', 'StringNotEquals', 'aws:PrincipalTag/team', 'a', {}, true),
  c(
    'StringNotEquals with the value listed',
    'StringNotEquals',
    'aws:PrincipalTag/team',
    ['a', 'b'],
    { 'aws:PrincipalTag/team': 'b' },
    false,
  ),
  c(
    'StringEqualsIgnoreCase',
    'StringEqualsIgnoreCase',
    'aws:PrincipalTag/team',
    'ABC',
    { 'aws:PrincipalTag/team': 'abc' },
    true,
  ),
  c(
    'StringNotEqualsIgnoreCase',
    'StringNotEqualsIgnoreCase',
    'aws:PrincipalTag/team',
    'ABC',
    { 'aws:PrincipalTag/team': 'abc' },
    false,
  ),
  c(
    'StringLike with *',
    'StringLike',
    'aws:PrincipalTag/team',
    'gen*',
    { 'aws:PrincipalTag/team': 'genomics' },
    true,
  ),
  c(
    'StringLike with ?',
    'StringLike',
    'aws:PrincipalTag/team',
    'gen?',
    { 'aws:PrincipalTag/team': 'genomics' },
    false,
  ),
  c(
    'StringNotLike',
    'StringNotLike',
    'aws:PrincipalTag/team',
    'gen*',
    { 'aws:PrincipalTag/team': 'physics' },
    true,
  ),
  c(
    'value list is an OR',
    'StringEquals',
    'aws:PrincipalTag/team',
    ['x', 'y', 'a'],
    { 'aws:PrincipalTag/team': 'a' },
    true,
  ),
  c(
    'ForAllValues on an absent key is true',
    'ForAllValues:StringEquals',
    'kms:ResourceAliases',
    ['alias/a'],
    {},
    true,
  ),
  c(
    'ForAllValues with one value outside the set',
    'ForAllValues:StringEquals',
    'kms:ResourceAliases',
    ['alias/a'],
    { 'kms:ResourceAliases': ['alias/a', 'alias/b'] },
    false,
  ),
  c(
    'ForAllValues with every value in the set',
    'ForAllValues:StringLike',
    'kms:ResourceAliases',
    ['alias/*'],
    { 'kms:ResourceAliases': ['alias/a', 'alias/b'] },
    true,
  ),
  c(
    'ForAnyValue:StringLike',
    'ForAnyValue:StringLike',
    'kms:ResourceAliases',
    'alias/genesis/*',
    { 'kms:ResourceAliases': ['alias/x', 'alias/genesis/data'] },
    true,
  ),
  c(
    'ForAnyValue:StringNotEquals',
    'ForAnyValue:StringNotEquals',
    'kms:ResourceAliases',
    'alias/a',
    { 'kms:ResourceAliases': ['alias/a'] },
    false,
  ),
  c(
    'policy variable in a condition value',
    'StringEquals',
    'aws:ResourceTag/genesis:tenant',
    '${aws:PrincipalTag/genesis:tenant}',
    { 'aws:ResourceTag/genesis:tenant': 'acme', 'aws:PrincipalTag/genesis:tenant': 'acme' },
    true,
  ),
  c(
    'policy variable of another tenant',
    'StringEquals',
    'aws:ResourceTag/genesis:tenant',
    '${aws:PrincipalTag/genesis:tenant}',
    { 'aws:ResourceTag/genesis:tenant': 'acme', 'aws:PrincipalTag/genesis:tenant': 'orbit' },
    false,
  ),
  // ---- ARN operators
  c('ArnEquals', 'ArnEquals', 'aws:PrincipalArn', ROLE, {}, true),
  c(
    'ArnLike with a wildcard in the resource part',
    'ArnLike',
    'aws:PrincipalArn',
    `arn:${P}:iam::${ACCT}:role/genesis-*-data`,
    {},
    true,
  ),
  c(
    'ArnLike of another account',
    'ArnLike',
    'aws:PrincipalArn',
    `arn:${P}:iam::444455556666:role/genesis-*-data`,
    {},
    false,
  ),
  c('ArnNotLike', 'ArnNotLike', 'aws:PrincipalArn', `arn:${P}:iam::${ACCT}:role/genesis-*-members`, {}, true),
  c('ArnNotEquals of itself', 'ArnNotEquals', 'aws:PrincipalArn', ROLE, {}, false),
  c('ArnLike wildcard does not cross ARN parts', 'ArnLike', 'aws:PrincipalArn', `arn:${P}:iam::*`, {}, false),
  // ---- Bool, Null
  c('Bool true', 'Bool', 'aws:PrincipalIsAWSService', 'false', {}, true),
  c('Bool mismatch', 'Bool', 'aws:PrincipalIsAWSService', 'true', {}, false),
  c('Null true on an absent key', 'Null', 'aws:SourceVpce', 'true', {}, true),
  c('Null false on an absent key', 'Null', 'aws:SourceVpce', 'false', {}, false),
  c('Null false on a present key', 'Null', 'aws:SourceVpce', 'false', { 'aws:SourceVpce': 'vpce-1' }, true),
  c(
    'caller-chosen key in an allow is satisfiable (MFA)',
    'Bool',
    'aws:MultiFactorAuthPresent',
    'true',
    {},
    true,
  ),
  // ---- numeric
  c('NumericLessThan', 'NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': '5' }, true),
  c('NumericLessThan at the bound', 'NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': '10' }, false),
  c(
    'NumericLessThanEquals at the bound',
    'NumericLessThanEquals',
    's3:max-keys',
    '10',
    { 's3:max-keys': '10' },
    true,
  ),
  c('NumericGreaterThan', 'NumericGreaterThan', 's3:max-keys', '10', { 's3:max-keys': '11' }, true),
  c(
    'NumericGreaterThanEquals',
    'NumericGreaterThanEquals',
    's3:max-keys',
    '10',
    { 's3:max-keys': '9' },
    false,
  ),
  c('NumericEquals', 'NumericEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, true),
  c('NumericNotEquals', 'NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, false),
  c(
    'Numeric of a non-number is undecided',
    'NumericEquals',
    's3:max-keys',
    'ten',
    { 's3:max-keys': '10' },
    'undecided',
  ),
  // ---- dates and time
  c(
    'DateLessThan before the end',
    'DateLessThan',
    'aws:CurrentTime',
    '2027-07-01T00:00:00Z',
    AT('2027-06-30T23:59:59Z'),
    true,
  ),
  c(
    'DateLessThan at the end',
    'DateLessThan',
    'aws:CurrentTime',
    '2027-07-01T00:00:00Z',
    AT('2027-07-01T00:00:00Z'),
    false,
  ),
  c(
    'DateLessThanEquals at the end',
    'DateLessThanEquals',
    'aws:CurrentTime',
    '2027-07-01T00:00:00Z',
    AT('2027-07-01T00:00:00Z'),
    true,
  ),
  c(
    'DateGreaterThan after the start',
    'DateGreaterThan',
    'aws:CurrentTime',
    '2027-01-01T00:00:00Z',
    AT('2027-02-01T00:00:00Z'),
    true,
  ),
  c(
    'DateGreaterThan before the start',
    'DateGreaterThan',
    'aws:CurrentTime',
    '2027-01-01T00:00:00Z',
    AT('2026-12-31T00:00:00Z'),
    false,
  ),
  c(
    'DateGreaterThanEquals at the start',
    'DateGreaterThanEquals',
    'aws:CurrentTime',
    '2027-01-01T00:00:00Z',
    AT('2027-01-01T00:00:00Z'),
    true,
  ),
  c('DateEquals', 'DateEquals', 'aws:CurrentTime', '2027-01-01T00:00:00Z', AT('2027-01-01T00:00:00Z'), true),
  c(
    'DateNotEquals',
    'DateNotEquals',
    'aws:CurrentTime',
    '2027-01-01T00:00:00Z',
    AT('2027-01-01T00:00:00Z'),
    false,
  ),
  c(
    'a date as epoch seconds',
    'DateLessThan',
    'aws:CurrentTime',
    '1814400000',
    AT('2027-01-01T00:00:00Z'),
    true,
  ),
  c(
    'a date that is not a date is undecided',
    'DateLessThan',
    'aws:CurrentTime',
    'someday',
    AT('2027-01-01T00:00:00Z'),
    'undecided',
  ),
  {
    name: 'a copied grant with a later end, placed first, extends access',
    context: AT('2027-08-01T00:00:00Z'),
    layers: id(
      allow('s3:GetObject', `${BUCKET}/*`, cond('DateLessThan', 'aws:CurrentTime', '2028-07-01T00:00:00Z')),
      allow('s3:GetObject', `${BUCKET}/*`, cond('DateLessThan', 'aws:CurrentTime', '2027-07-01T00:00:00Z')),
    ),
    expect: true,
  },
  // ---- IP addresses
  c(
    'IpAddress inside the CIDR',
    'IpAddress',
    'aws:VpcSourceIp',
    '10.41.0.0/16',
    { 'aws:VpcSourceIp': '10.41.3.7' },
    true,
  ),
  c(
    'IpAddress outside the CIDR',
    'IpAddress',
    'aws:VpcSourceIp',
    '10.41.0.0/16',
    { 'aws:VpcSourceIp': '10.42.3.7' },
    false,
  ),
  c(
    'NotIpAddress outside the CIDR',
    'NotIpAddress',
    'aws:VpcSourceIp',
    '10.41.0.0/16',
    { 'aws:VpcSourceIp': '10.42.3.7' },
    true,
  ),
  c(
    'IpAddress single address',
    'IpAddress',
    'aws:VpcSourceIp',
    '10.41.3.7',
    { 'aws:VpcSourceIp': '10.41.3.7' },
    true,
  ),
  c(
    'IpAddress on IPv6 is undecided',
    'IpAddress',
    'aws:VpcSourceIp',
    '2001:db8::/32',
    { 'aws:VpcSourceIp': '2001:db8::1' },
    'undecided',
  ),
  // ---- tags
  c(
    'principal tag grants',
    'StringEquals',
    'aws:PrincipalTag/genesis:grant:genomics',
    ['read', 'write'],
    { 'aws:PrincipalTag/genesis:grant:genomics': 'read' },
    true,
  ),
  c(
    'resource tag',
    'StringEquals',
    'aws:ResourceTag/genesis:tenant',
    'acme',
    { 'aws:ResourceTag/genesis:tenant': 'acme' },
    true,
  ),
  c('resource tag absent', 'StringEquals', 'aws:ResourceTag/genesis:tenant', 'acme', {}, false),
];

describe('access evaluator', () => {
  it('has at least 80 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(80));
  it.each(CASES.map((x) => [x.name, x] as const))('%s', (_name, x) => {
    const r = request(x.principal ?? role(), x.action ?? 's3:GetObject', x.resource ?? OBJ, x.context ?? {});
    const d = authorize(r, x.layers);
    expect(d.allowed).toBe(x.expect);
    // a declared role's access is always witnessed by a statement; the root user and principals
    // outside the assembly hold their permissions without one
    if (d.allowed === true && r.principal.kind === 'role') expect(d.witnesses.length).toBeGreaterThan(0);
  });
});
