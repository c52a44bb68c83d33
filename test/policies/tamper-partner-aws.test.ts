/**
 * Hand edits, as an insider would make them, of the Partner-<site> stack of a partner site hosted
 * in the partner's AWS account: each widens who may enter the partner's cluster beyond the
 * federation manager's role and group, and GEN-AWS-FED-001 names the rule, the resource and the
 * file (exit 1). The unedited output passes (test/aws/partner-stack.test.ts, and the baseline).
 */
import * as path from 'node:path';
import { PARTNER_AWS_ACCOUNT, PARTNER_AWS_STACK } from '../fixtures/partner-aws';
import { editJson, logicalId } from './support/default-output';
import { copyOfPartnerAws } from './support/partner-aws-output';
import { baselineFindings, expectCaught, type Expected } from './support/tamper-run';

const FILE = `aws/${PARTNER_AWS_STACK}.template.json`;
const RULE = 'GEN-AWS-FED-001';
const MANAGER = 'arn:aws-us-gov:iam::111122223333:role/genesis-gw-gpu-multikueue';
type Template = Parameters<Parameters<typeof editJson>[1]>[0];
type Resource = Template['Resources'];

const workerRole = (t: Template) =>
  logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-multikueue-national');
const accessEntry = (t: Template) => logicalId(t, 'AWS::EKS::AccessEntry');

function onPartner(dir: string, find: (t: Template) => string, mutate: (r: Resource) => void): Expected {
  let id = '';
  editJson(path.join(dir, FILE), (t) => {
    id = find(t);
    mutate(t.Resources[id]);
  });
  return { rule: RULE, resource: `aws:${PARTNER_AWS_STACK}/${id}`, file: FILE };
}

const statements = (r: Resource): Array<Record<string, any>> =>
  r.Properties.AssumeRolePolicyDocument.Statement;

beforeAll(() => baselineFindings(copyOfPartnerAws), 240_000);

test("the worker role's trust widened to the platform account's root", () =>
  expectCaught(
    (dir) =>
      onPartner(dir, workerRole, (r) => {
        statements(r)[0].Principal = { AWS: 'arn:aws-us-gov:iam::111122223333:root' };
        delete statements(r)[0].Condition;
      }),
    copyOfPartnerAws,
  ));

test('a second trust statement for a role of another account', () =>
  expectCaught(
    (dir) =>
      onPartner(dir, workerRole, (r) => {
        statements(r).push({
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { AWS: 'arn:aws-us-gov:iam::444455556666:role/contractor-ops' },
        });
      }),
    copyOfPartnerAws,
  ));

test('Principal "*" with a condition that pins nobody', () =>
  expectCaught(
    (dir) =>
      onPartner(dir, workerRole, (r) => {
        statements(r)[0].Principal = '*';
        statements(r)[0].Condition = {
          StringLike: { 'aws:PrincipalArn': `${MANAGER.split(':role/')[0]}:role/*` },
        };
      }),
    copyOfPartnerAws,
  ));

test('the cluster-admin access policy added to the access entry', () =>
  expectCaught(
    (dir) =>
      onPartner(dir, accessEntry, (r) => {
        r.Properties.AccessPolicies = [
          {
            PolicyArn: 'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
            AccessScope: { Type: 'cluster' },
          },
        ];
      }),
    copyOfPartnerAws,
  ));

test("the access entry's groups widened to system:masters", () =>
  expectCaught(
    (dir) =>
      onPartner(dir, accessEntry, (r) => {
        r.Properties.KubernetesGroups = [...r.Properties.KubernetesGroups, 'system:masters'];
      }),
    copyOfPartnerAws,
  ));

test("a platform role (the manager's) made to trust a role of the partner's account", () =>
  expectCaught((dir) => {
    const file = 'aws/Site-govcloud-west.template.json';
    let id = '';
    editJson(path.join(dir, file), (t) => {
      id = logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-gw-gpu-multikueue');
      statements(t.Resources[id]).push({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: `arn:aws-us-gov:iam::${PARTNER_AWS_ACCOUNT}:role/genesis-multikueue-national` },
      });
    });
    return { rule: RULE, resource: `aws:Site-govcloud-west/${id}`, file };
  }, copyOfPartnerAws));
