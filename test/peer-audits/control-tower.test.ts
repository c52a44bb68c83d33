/**
 * Peer audit: AWS Control Tower's proactive controls (cfn-guard rules bundled by
 * @cdklabs/cdk-validator-cfnguard) over the default platform's CloudFormation templates. Every
 * failure is fixed or explained in the reviewed policies/peer-audits/control-tower.yaml, and every
 * explanation there still matches a failure.
 *
 * Not part of synth: cfn-guard takes tens of seconds over the templates, `genesis check` two.
 * Run alone with `npx jest test/peer-audits`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOutput } from '../policies/support/default-output';
import { tempDir } from '../support/tmp';
import {
  EXCEPTIONS_FILE,
  RULES_DIR,
  bundledControls,
  controlOfFile,
  describeFailure,
  failuresOf,
  judge,
  loadExceptions,
  matches,
  resourceNamer,
  runGuard,
  type GuardFailure,
  type PeerException,
} from './support/control-tower';

jest.setTimeout(600_000);

describe('AWS Control Tower proactive controls over the default output', () => {
  let failures: GuardFailure[];
  let exceptions: PeerException[];
  let seconds: number;

  beforeAll(async () => {
    const out = await defaultOutput();
    const awsDir = path.join(out, 'aws');
    // Only the templates: given the assembly folder, cfn-guard also reads tree.json and the
    // asset manifests, and runs far longer.
    const templates = fs
      .readdirSync(awsDir)
      .filter((f) => f.endsWith('.template.json'))
      .sort()
      .map((f) => path.join(awsDir, f));
    const started = Date.now();
    const reports = await runGuard(templates);
    seconds = (Date.now() - started) / 1000;
    expect(reports).toHaveLength(templates.length);
    failures = failuresOf(reports, resourceNamer(out));
    exceptions = loadExceptions(EXCEPTIONS_FILE, bundledControls());
  });

  it('runs every bundled control over every template', () => {
    expect(bundledControls().size).toBeGreaterThan(200);
    // Stated for whoever reads the log: the run this audit costs.
    process.stdout.write(
      `cfn-guard: ${bundledControls().size} Control Tower controls, ${failures.length} failures, ${seconds.toFixed(1)} s\n`,
    );
  });

  it('leaves no failure that is neither fixed nor explained in policies/peer-audits/control-tower.yaml', () => {
    expect(judge(failures, exceptions).unexplained.map(describeFailure)).toEqual([]);
  });

  it('keeps no exception that no longer matches a failure (stale)', () => {
    expect(judge(failures, exceptions).stale.map((e) => `${e.control} on ${e.resource}`)).toEqual([]);
  });

  it('backs the CT.NETWORK-FIREWALL.PR.5 reason: an egress firewall stands in every zone of its VPC', async () => {
    const awsDir = path.join(await defaultOutput(), 'aws');
    let checked = 0;
    for (const f of fs.readdirSync(awsDir).filter((x) => x.endsWith('.template.json'))) {
      interface Res {
        Type: string;
        Properties: {
          VpcId: { Ref: string };
          AvailabilityZone?: string;
          SubnetMappings?: Array<{ SubnetId: { Ref: string } }>;
        };
      }
      const resources: Record<string, Res> =
        JSON.parse(fs.readFileSync(path.join(awsDir, f), 'utf8')).Resources ?? {};
      const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
      const vpcs = new Set(of('AWS::NetworkFirewall::Firewall').map(([, fw]) => fw.Properties.VpcId.Ref));
      for (const vpc of vpcs) {
        const zones = new Set(
          of('AWS::EC2::Subnet')
            .filter(([, sn]) => sn.Properties.VpcId.Ref === vpc)
            .map(([, sn]) => sn.Properties.AvailabilityZone),
        );
        const guarded = of('AWS::NetworkFirewall::Firewall')
          .filter(([, fw]) => fw.Properties.VpcId.Ref === vpc)
          .flatMap(([, fw]) =>
            (fw.Properties.SubnetMappings ?? []).map(
              (m) => resources[m.SubnetId.Ref].Properties.AvailabilityZone,
            ),
          );
        expect([...new Set(guarded)].sort()).toEqual([...zones].sort());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it.each([
    ['CT.KMS.PR.3', 'key policies deny kms:CreateGrant unless it is for an AWS resource'],
    ['CT.EC2.PR.5', 'network ACL return rules leave out 22 and 3389'],
    ['CT.EC2.PR.10', 'node launch templates enable detailed monitoring'],
    ['CT.CLOUDTRAIL.PR.3', 'the data-access trail delivers to CloudWatch Logs'],
  ])('holds %s without an exception (%s)', (control) => {
    expect(failures.filter((f) => f.control === control).map(describeFailure)).toEqual([]);
    expect(exceptions.filter((e) => e.control === control)).toEqual([]);
  });
});

describe('the Control Tower audit harness', () => {
  const dir = tempDir('peer-audit-');
  const failure = (control: string, resource: string): GuardFailure => ({
    control,
    rule: 'r',
    template: 'T.template.json',
    logicalId: 'X',
    resource,
  });
  const exception = (control: string, resource: string): PeerException => ({
    control,
    resource,
    reason: 'r',
    owner: 'o@example.gov',
  });

  it('reports a failure no exception names, and an exception no failure matches', () => {
    const v = judge(
      [failure('CT.S3.PR.9', 'Site-a/Logs/Bucket'), failure('CT.S3.PR.4', 'Site-a/Logs/Bucket')],
      [exception('CT.S3.PR.9', 'Site-a/Logs/Bucket'), exception('CT.S3.PR.2', 'Site-a/Logs/Bucket')],
    );
    expect(v.unexplained.map((f) => f.control)).toEqual(['CT.S3.PR.4']);
    expect(v.stale.map((e) => e.control)).toEqual(['CT.S3.PR.2']);
  });

  it('matches `*` within one path segment only', () => {
    expect(matches('Tenant-*/Storage/Bucket', 'Tenant-helix-bio/Storage/Bucket')).toBe(true);
    expect(matches('Site-a/*/Bucket', 'Site-a/Logs/Bucket')).toBe(true);
    expect(matches('Site-a/*', 'Site-a/Logs/Bucket')).toBe(false);
    expect(matches('Site-a/Logs/Bucket', 'Site-a/Logs/BucketPolicy')).toBe(false);
  });

  it('names controls by their rule files', () => {
    expect(controlOfFile('ct-network-firewall-pr-5.guard')).toBe('CT.NETWORK-FIREWALL.PR.5');
    expect(controlOfFile('ct-kms-pr-3.guard')).toBe('CT.KMS.PR.3');
  });

  it('refuses an exceptions file with unknown keys, unknown controls, short reasons or duplicates', () => {
    const file = path.join(dir, 'bad.yaml');
    const entry = {
      control: 'CT.S3.PR.9',
      resource: 'Site-a/Logs/Bucket',
      reason: 'x'.repeat(90),
      owner: 'o@example.gov',
    };
    fs.writeFileSync(
      file,
      JSON.stringify({
        exceptions: [
          entry,
          entry,
          { ...entry, control: 'CT.S3.PR.99', resource: 'Site-a/Other', expires: '2027-01-01' },
          { ...entry, resource: 'Site-a/B', reason: 'because', owner: 'me' },
        ],
      }),
    );
    expect(() => loadExceptions(file, bundledControls())).toThrow(
      new RegExp(
        [
          'a second entry for CT.S3.PR.9',
          'unknown key "expires"',
          '"CT.S3.PR.99" is not a bundled',
          'reason is too short',
          'owner "me"',
        ].join('[\\s\\S]*'),
      ),
    );
  });

  it('reads a real cfn-guard failure: a key policy without the grant deny fails CT.KMS.PR.3 on that key', async () => {
    const template = path.join(dir, 'Site-x.template.json');
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };
    fs.writeFileSync(
      template,
      JSON.stringify({
        Resources: {
          Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: policy } },
        },
      }),
    );
    const reports = await runGuard(
      [template],
      [path.join(RULES_DIR, 'keymanagementservice', 'ct-kms-pr-3.guard')],
    );
    const found = failuresOf(reports, (t, id) => `${t}/${id}`);
    expect(found.map((f) => [f.control, f.resource])).toEqual([['CT.KMS.PR.3', 'Site-x.template.json/Key']]);

    policy.Statement.push({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    } as never);
    fs.writeFileSync(
      template,
      JSON.stringify({
        Resources: {
          Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: policy } },
        },
      }),
    );
    expect(
      failuresOf(
        await runGuard([template], [path.join(RULES_DIR, 'keymanagementservice', 'ct-kms-pr-3.guard')]),
        (t, id) => `${t}/${id}`,
      ),
    ).toEqual([]);
  });
});
