/**
 * Hand edits of the default AWS output that the shape rules let through: launch templates named by
 * LaunchTemplateName, dataset replication, lifecycle, object lock, CloudTrail data events, removed
 * denies, and a resource type no rule reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../cli/commands/check';
import { copyOfDefault, editJson, logicalId, NOW } from './support/default-output';
import { baselineFindings, expectCaught, type Expected } from './support/tamper-run';

const SITE = 'Site-govcloud-west';
const FILE = `aws/${SITE}.template.json`;
type Template = Parameters<Parameters<typeof editJson>[1]>[0];
type Resource = Template['Resources'];

const datasetBucket = (t: Template, dataset: string) =>
  logicalId(t, 'AWS::S3::Bucket', (r) => JSON.stringify(r.Properties.Tags ?? []).includes(`"${dataset}"`));

/** Edits one resource of the site template; the rule is expected to name `report` (default: the edited one). */
function onSite(
  dir: string,
  rule: string,
  find: (t: Template) => string,
  mutate: (r: Resource, t: Template) => void,
  report?: (t: Template) => string,
): Expected {
  let id = '';
  editJson(path.join(dir, FILE), (t) => {
    const target = find(t);
    mutate(t.Resources[target], t);
    id = report ? report(t) : target;
  });
  return { rule, resource: `aws:${SITE}/${id}`, file: FILE };
}

/** The bucket policy statements of a dataset bucket, to edit. */
function policyOf(t: Template, dataset: string): { id: string; statements: Array<Record<string, unknown>> } {
  const bucket = datasetBucket(t, dataset);
  const id = logicalId(t, 'AWS::S3::BucketPolicy', (r) =>
    JSON.stringify(r.Properties.Bucket).includes(bucket),
  );
  return { id, statements: t.Resources[id].Properties.PolicyDocument.Statement };
}

beforeAll(() => baselineFindings(), 180_000);

test('a dataset bucket replicating to another account', () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-EFF-001',
      (t) => datasetBucket(t, 'nih-genomics'),
      (r) => {
        r.Properties.ReplicationConfiguration = {
          Role: 'arn:aws-us-gov:iam::111122223333:role/replicator',
          Rules: [
            {
              Status: 'Enabled',
              Priority: 1,
              Filter: { Prefix: '' },
              DeleteMarkerReplication: { Status: 'Disabled' },
              Destination: { Bucket: 'arn:aws-us-gov:s3:::partner-copy', Account: '444455556666' },
            },
          ],
        };
      },
    ),
  ));

test('a dataset bucket expiring objects after 30 days (tier retention 365)', () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-EFF-002',
      (t) => datasetBucket(t, 'nih-genomics'),
      (r) => {
        r.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays = 30;
      },
    ),
  ));

test('the archive dataset locked in GOVERNANCE mode where the tier declares COMPLIANCE', () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-EFF-003',
      (t) => datasetBucket(t, 'dhs-grid-telemetry'),
      (r) => {
        r.Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE';
      },
    ),
  ));

test('the CloudTrail data-event selector no longer names a CUI dataset bucket', () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-EFF-004',
      (t) => logicalId(t, 'AWS::CloudTrail::Trail'),
      (r, t) => {
        const bucket = datasetBucket(t, 'nih-genomics');
        const arn = r.Properties.AdvancedEventSelectors[0].FieldSelectors.find(
          (f: { Field: string }) => f.Field === 'resources.ARN',
        );
        arn.StartsWith = arn.StartsWith.filter((v: unknown) => !JSON.stringify(v).includes(bucket));
      },
      (t) => datasetBucket(t, 'nih-genomics'),
    ),
  ));

test("the bucket policy's read-without-grant deny removed (IAM still holds)", () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-EFF-005',
      (t) => policyOf(t, 'nih-genomics').id,
      (r) => {
        const doc = r.Properties.PolicyDocument;
        doc.Statement = doc.Statement.filter((s: { Sid?: string }) => s.Sid !== 'DenyReadWithoutGrant');
      },
      (t) => datasetBucket(t, 'nih-genomics'),
    ),
  ));

test("the data key policy's deny to other principals removed", () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-EFF-005',
      (t) =>
        t.Resources[datasetBucket(t, 'nih-genomics')].Properties.BucketEncryption
          .ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0],
      (r) => {
        r.Properties.KeyPolicy.Statement = r.Properties.KeyPolicy.Statement.filter(
          (s: { Sid?: string }) => s.Sid !== 'DenyDataToOtherThanGranteeRoles',
        );
      },
    ),
  ));

test('an API Gateway, a resource type no rule reads', () =>
  expectCaught((dir) =>
    onSite(
      dir,
      'GEN-AWS-KIND-001',
      (t) => logicalId(t, 'AWS::S3::Bucket'),
      (_r, t) => {
        t.Resources.SideDoorApi = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'side-door' } };
      },
      () => 'SideDoorApi',
    ),
  ));

describe('launch templates named by LaunchTemplateName', () => {
  const checkEdited = async (mutate: (t: Template) => void) => {
    const dir = await copyOfDefault();
    editJson(path.join(dir, FILE), mutate);
    let out = '';
    await run([dir, '--now', NOW], { out: (t) => (out += t), err: (t) => (out += t) });
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'report', 'findings.json'), 'utf8'))
      .findings as Array<{ ruleId: string; status: string; location: { resourceKey: string; file: string } }>;
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    return findings.filter((f) => f.ruleId === 'GEN-AWS-NET-008');
  };
  const H100 = (t: Template) =>
    logicalId(t, 'AWS::EKS::Nodegroup', (r) =>
      JSON.stringify(r.Properties.LaunchTemplate).includes('PoolH100LaunchTemplate'),
    );

  test('a name the assembly does not declare is undecided, like an undeclared id (rule, resource and file named)', async () => {
    let id = '';
    const found = await checkEdited((t) => {
      id = H100(t);
      t.Resources[id].Properties.LaunchTemplate = { Name: 'hand-made-nodes', Version: '1' };
    });
    expect(found.map((f) => [f.status, f.location.resourceKey, f.location.file])).toEqual([
      ['unknown', `aws:${SITE}/${id}`, FILE],
    ]);
  });

  test('a name the assembly declares resolves to that template and passes', async () => {
    const found = await checkEdited((t) => {
      const id = H100(t);
      const lt = t.Resources[id].Properties.LaunchTemplate.Id.Ref as string;
      t.Resources[lt].Properties.LaunchTemplateName = 'genesis-h100-nodes';
      t.Resources[id].Properties.LaunchTemplate = { Name: 'genesis-h100-nodes', Version: '1' };
    });
    expect(found).toEqual([]);
  });
});
