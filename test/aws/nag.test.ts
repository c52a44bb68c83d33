/** cdk-nag's AwsSolutions and NIST 800-53 rev5 packs over the whole default app: nothing left open. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { loadPlatform } from '../../infra/model';
import { buildAwsApp, nagPacks } from '../../stacks/aws/app';
import { NOW } from './synth';

const errorsOf = (app: App): string[] =>
  nagPacks(app).flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error')
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
  );

describe('cdk-nag packs', () => {
  it('report no unacknowledged error on the default app, run as validation plugins of its synthesis', () => {
    const { app } = buildAwsApp(loadPlatform({ now: NOW }).platform, { nagPacks: true });
    // A failing plugin report makes synth throw.
    expect(() => app.synth()).not.toThrow();
    expect(errorsOf(app)).toEqual([]);
  });

  it('report a non-compliant bucket in a scratch app, per pack', () => {
    const app = new App({ analyticsReporting: false });
    new s3.Bucket(new Stack(app, 'Scratch'), 'Plain', { encryption: s3.BucketEncryption.UNENCRYPTED });
    const errors = errorsOf(app);
    expect(errors).toContain('AwsSolutions-S10 Scratch/Plain/Resource');
    expect(errors).toContain('NIST.800.53.R5-S3BucketSSLRequestsOnly Scratch/Plain/Resource');
    // As plugins, the same findings stop synthesis.
    const failing = new App({ analyticsReporting: false });
    new s3.Bucket(new Stack(failing, 'Scratch'), 'Plain');
    Validations.of(failing).addPlugins(...nagPacks(failing));
    expect(() => failing.synth()).toThrow(/AwsSolutions-S10|NIST\.800\.53\.R5/);
  });
});
