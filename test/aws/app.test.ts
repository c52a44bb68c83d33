/** The AWS app as the synth pipeline and the CDK CLI use it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPlatform, parsePlatform } from '../../infra/model';
import { CDK_CONTEXT, buildAwsApp, synthAws } from '../../stacks/aws/app';
import { defaultSpecData } from '../support/default-spec';
import { readTree, tempDir } from '../support/tmp';
import { NOW } from './synth';

const ROOT = path.resolve(__dirname, '..', '..');

describe('synthAws', () => {
  const dir = tempDir('genesis-aws-');
  let first: Record<string, string>;

  beforeAll(() => {
    const { platform } = loadPlatform({ now: NOW });
    synthAws(platform, path.join(dir, 'a'));
    synthAws(platform, path.join(dir, 'b'));
    first = readTree(path.join(dir, 'a'));
  });

  it('writes a cloud assembly with a template per stack', () => {
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'Site-govcloud-west.template.json',
        'Tenant-noaa-psl.template.json',
      ]),
    );
  });

  it('is byte-identical for the same spec, wherever it is written', () => {
    expect(readTree(path.join(dir, 'b'))).toEqual(first);
  });

  it('carries no absolute paths, timestamps or analytics', () => {
    for (const [file, text] of Object.entries(first)) {
      if (file.startsWith('asset.')) continue;
      expect(text).not.toContain(dir);
      expect(text).not.toContain(ROOT);
      expect(text).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/);
      // usage data for the CDK's telemetry (stacks/aws/feature-flags.ts)
      expect(text).not.toContain('aws:cdk:analytics');
    }
    expect(first['Site-govcloud-west.template.json']).not.toContain('AWS::CDK::Metadata');
  });

  it('changes when the spec changes', () => {
    const spec = defaultSpecData();
    spec.grants.find((g: any) => g.tenant === 'aurora-ai' && g.dataset === 'nih-genomics').expires =
      '2027-05-31';
    synthAws(parsePlatform(spec, { now: NOW }), path.join(dir, 'c'));
    const changed = readTree(path.join(dir, 'c'));
    expect(changed['Tenant-aurora-ai.template.json']).not.toEqual(first['Tenant-aurora-ai.template.json']);
    expect(changed['Tenant-aurora-ai.template.json']).toContain('2027-06-01T00:00:00Z');
    expect(changed['Site-govcloud-west.template.json']).toEqual(first['Site-govcloud-west.template.json']);
  });
});

describe('cdk.json', () => {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));

  it('runs the AWS entry point', () => {
    const entry = /stacks\/aws\/main\.ts$/.exec(cdkJson.app)?.[0];
    expect(entry).toBeDefined();
    expect(fs.existsSync(path.join(ROOT, entry!))).toBe(true);
  });

  it('sets no feature flags of its own: the app carries them, so cdk synth and genesis synth agree', () => {
    const cliSettings = ['cli-telemetry'];
    for (const key of Object.keys(cdkJson.context ?? {}))
      expect([...Object.keys(CDK_CONTEXT), ...cliSettings]).toContain(key);
  });

  it('keeps the CDK CLI off the network: no telemetry (context "cli-telemetry"), no notices fetch (setting "notices")', () => {
    // aws-cdk 2.1148 reads telemetry consent from the context bag and notices from the settings.
    expect(cdkJson.context?.['cli-telemetry']).toBe(false);
    expect(cdkJson.notices).toBe(false);
  });
});

describe('policy validation during synthesis', () => {
  const dir = tempDir('genesis-aws-policy-');

  it('passes the default platform and stops synthesis on an error finding', () => {
    // Imported here so the rest of this file does not load the rule engine.
    /* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports */
    const { GenesisPolicyPlugin } =
      require('../../policies/cdk/GenesisPolicyPlugin') as typeof import('../../policies/cdk/GenesisPolicyPlugin');
    const iam = require('aws-cdk-lib/aws-iam') as typeof import('aws-cdk-lib/aws-iam');
    /* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports */
    const { platform } = loadPlatform({ now: NOW });

    const clean = buildAwsApp(platform, {
      outdir: path.join(dir, 'clean'),
      policyValidation: [new GenesisPolicyPlugin({ now: NOW })],
    });
    expect(() => clean.app.synth()).not.toThrow();

    const tainted = buildAwsApp(platform, {
      outdir: path.join(dir, 'tainted'),
      policyValidation: [new GenesisPolicyPlugin({ now: NOW })],
    });
    new iam.Role(tainted.sites.get('govcloud-west')!, 'ReadsEverything', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      inlinePolicies: {
        all: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
        }),
      },
    });
    expect(() => tainted.app.synth()).toThrow(/GEN-AWS-IAM-002/);
  });
});
