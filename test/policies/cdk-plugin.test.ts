/** The AWS rules inside CDK synthesis: a violating construct makes app.synth() fail with the rule id. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GenesisPolicyPlugin } from '../../policies';
import { grantsOnlyForAwsResources } from '../../constructs/aws/platform-key';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-cdk-'));
const ENV = { account: '111122223333', region: 'us-gov-west-1' };

function compliantBucket(stack: Stack): void {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  // Grants on the key only for AWS resources (GEN-AWS-DP-019).
  key.addToResourcePolicy(grantsOnlyForAwsResources());
  const logs = new s3.Bucket(stack, 'Logs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new s3.Bucket(stack, 'Data', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    serverAccessLogsBucket: logs,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

describe('GenesisPolicyPlugin', () => {
  it('fails synthesis on an unencrypted bucket and names the rule (policyValidationBeta1)', () => {
    const app = new App({ outdir: outdir(), policyValidationBeta1: [new GenesisPolicyPlugin()] });
    const stack = new Stack(app, 'Site-test', { env: ENV });
    new s3.Bucket(stack, 'Open', { removalPolicy: RemovalPolicy.RETAIN });
    expect(() => app.synth()).toThrow(/GEN-AWS-DP-001/);
  });

  it('fails through Validations.of(app).addPlugins too, naming the resource', () => {
    const app = new App({
      outdir: outdir(),
      context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
    });
    Validations.of(app).addPlugins(new GenesisPolicyPlugin());
    const stack = new Stack(app, 'Site-test', { env: ENV });
    new kms.Key(stack, 'Unrotated', { enableKeyRotation: false, removalPolicy: RemovalPolicy.RETAIN });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/GEN-AWS-DP-012/);
  });

  it('lets a compliant app synthesize', () => {
    const app = new App({
      outdir: outdir(),
      policyValidationBeta1: [new GenesisPolicyPlugin()],
      context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
    });
    compliantBucket(new Stack(app, 'Site-test', { env: ENV }));
    expect(() => app.synth()).not.toThrow();
  });

  it('reports violations with logical ids and template paths', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const stack = new Stack(app, 'Site-test', { env: ENV });
    new s3.Bucket(stack, 'Open', { removalPolicy: RemovalPolicy.RETAIN });
    app.synth();
    const report = new GenesisPolicyPlugin().validate({
      templatePaths: [path.join(dir, 'Site-test.template.json')],
    });
    expect(report.success).toBe(false);
    const dp1 = report.violations.find((v) => v.ruleName === 'GEN-AWS-DP-001')!;
    expect(dp1.severity).toBe('error');
    expect(dp1.violatingResources[0]).toMatchObject({
      resourceLogicalId: expect.stringMatching(/^Open/),
      templatePath: path.join(dir, 'Site-test.template.json'),
    });
  });
});

describe('acknowledgements of genesis rules', () => {
  const synthMessage = (app: App): string => {
    try {
      app.synth();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };
  const exceptionsFile = (stack: string, logicalId: string, expires = '2027-01-31') => {
    const file = path.join(outdir(), 'exceptions.yaml');
    fs.writeFileSync(
      file,
      [
        'exceptions:',
        '  - rule: GEN-AWS-DP-001',
        `    resource: aws:${stack}/${logicalId}`,
        '    reason: Reviewed in SEC-1, bucket of public test data only',
        '    owner: owner@example.gov',
        `    expires: ${expires}`,
        '',
      ].join('\n'),
    );
    return file;
  };

  it('fails synthesis when a construct acknowledges a genesis rule without an exception, naming the rule', () => {
    const app = new App({
      outdir: outdir(),
      context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
    });
    Validations.of(app).addPlugins(new GenesisPolicyPlugin());
    const stack = new Stack(app, 'Site-test', { env: ENV });
    const open = new s3.Bucket(stack, 'Open', { removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(open).acknowledge({ id: 'genesis-policies::GEN-AWS-DP-001', reason: 'not needed' });
    const message = synthMessage(app);
    expect(message).toMatch(/GEN-AWS-DP-001 is acknowledged at Site-test\/Open/);
  });

  it('fails even when the acknowledged rule has no violation to suppress, and at the app', () => {
    const app = new App({
      outdir: outdir(),
      context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
    });
    Validations.of(app).addPlugins(new GenesisPolicyPlugin());
    compliantBucket(new Stack(app, 'Site-test', { env: ENV }));
    Validations.of(app).acknowledge({ id: 'genesis-policies::GEN-AWS-IAM-001', reason: 'blanket' });
    expect(synthMessage(app)).toMatch(/GEN-AWS-IAM-001 is acknowledged at the app/);
  });

  it('fails when the exception for the acknowledged resource has expired', () => {
    const app = new App({ outdir: outdir() });
    const stack = new Stack(app, 'Site-test', { env: ENV });
    const open = new s3.Bucket(stack, 'Open', {
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: undefined,
    });
    const logicalId = stack.getLogicalId(open.node.defaultChild as s3.CfnBucket);
    Validations.of(app).addPlugins(
      new GenesisPolicyPlugin({
        exceptionsFile: exceptionsFile('Site-test', logicalId, '2026-01-31'),
        now: '2026-11-26',
      }),
    );
    Validations.of(open).acknowledge({ id: 'genesis-policies::GEN-AWS-DP-001', reason: 'reviewed' });
    expect(synthMessage(app)).toMatch(/GEN-AWS-DP-001 is acknowledged at Site-test\/Open/);
  });

  it('accepts an acknowledgement backed by a valid exception for that rule and resource', () => {
    const app = new App({ outdir: outdir() });
    const stack = new Stack(app, 'Site-test', { env: ENV });
    const open = new s3.Bucket(stack, 'Open', { removalPolicy: RemovalPolicy.RETAIN });
    const logicalId = stack.getLogicalId(open.node.defaultChild as s3.CfnBucket);
    Validations.of(app).addPlugins(
      new GenesisPolicyPlugin({ exceptionsFile: exceptionsFile('Site-test', logicalId), now: '2026-11-26' }),
    );
    Validations.of(open).acknowledge({ id: 'genesis-policies::GEN-AWS-DP-001', reason: 'reviewed' });
    expect(synthMessage(app)).not.toMatch(/acknowledged at/);
  });
});

describe('cdk synth', () => {
  it('fails on a violating construct, naming the rule', () => {
    const root = path.join(__dirname, '../..');
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/aws-cdk/bin/cdk'),
        'synth',
        '--app',
        `${process.execPath} --import tsx ${path.join(__dirname, 'support/violating-app.ts')}`,
        '-o',
        outdir(),
        '--no-notices',
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CDK_VALIDATION: 'false' } },
    );
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(
      /GEN-AWS-DP-001 S3 buckets are encrypted with a customer-managed KMS key/,
    );
  });
});
