/**
 * The CloudFormation validator as the app registers it (stacks/aws/cfn-validation.ts): it fails
 * synthesis on a template the CloudFormation schemas refuse, in this thread and in a worker thread,
 * on the stacks a synthesis names, not on a site stack built only as a dependency.
 */
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CfnResource } from 'aws-cdk-lib';
import { loadPlatform } from '../../infra/model';
import { buildAwsApp, synthAws, type AwsAppOptions } from '../../stacks/aws/app';
import { AWS_RESOURCE_TYPES } from '../../stacks/aws/resource-types';
import { tempDir } from '../support/tmp';
import { NOW } from './synth';

const ROOT = path.resolve(__dirname, '..', '..');
const platform = loadPlatform({ now: NOW }).platform;
const work = tempDir('genesis-cfn-validation-');
let run = 0;

const before = process.env.CDK_VALIDATION;
beforeAll(() => (process.env.CDK_VALIDATION = 'true'));
afterAll(() => (process.env.CDK_VALIDATION = before));

/** Synthesizes with a bucket carrying a property no schema knows in `stack`; the error, or undefined. */
function synthWithBadBucket(stack: 'site' | 'tenant', options: AwsAppOptions): string | undefined {
  const outdir = path.join(work, `run-${run++}`);
  const { app, sites, tenants } = buildAwsApp(platform, { ...options, outdir });
  const scope = stack === 'site' ? sites.get('govcloud-west')! : tenants.get('noaa-psl')!;
  new CfnResource(scope, 'Tampered', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: true } });
  try {
    app.synth();
    return undefined;
  } catch (e) {
    const report = path.join(outdir, 'validation-report.json');
    return `${String(e)}\n${fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : ''}`;
  }
}

test.each([
  ['in this thread', false],
  ['in a worker thread', true],
])(
  'a schema error in a tenant stack fails synthesis (%s)',
  (_name, validatorThread) => {
    const error = synthWithBadBucket('tenant', { stacks: ['Tenant-noaa-psl'], validatorThread });
    expect(error).toMatch(/CloudFormation Validate/);
    expect(error).toMatch(/NoSuchProperty/);
    expect(error).toMatch(/Tampered/);
  },
  120_000,
);

test('a site stack is validated where it is named, not where it is built for a tenant stack', () => {
  expect(synthWithBadBucket('site', { validatorThread: true })).toMatch(/NoSuchProperty/);
  expect(synthWithBadBucket('site', { stacks: ['Site-govcloud-west'] })).toMatch(/NoSuchProperty/);
  expect(synthWithBadBucket('site', { stacks: ['Tenant-noaa-psl'], validatorThread: true })).toBeUndefined();
}, 120_000);

test('CDK_VALIDATION=false turns the validator off, as it does the CDK built-in one', () => {
  process.env.CDK_VALIDATION = 'false';
  try {
    expect(synthWithBadBucket('tenant', {})).toBeUndefined();
  } finally {
    process.env.CDK_VALIDATION = 'true';
  }
}, 120_000);

test('the validator thread is built ahead for every resource type the default platform uses', () => {
  const outdir = path.join(work, 'types');
  synthAws(platform, outdir);
  const used = new Set<string>();
  for (const f of fs.readdirSync(outdir).filter((n) => n.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    for (const r of Object.values(template.Resources)) used.add(r.Type);
  }
  expect(used.size).toBeGreaterThan(20);
  expect([...used].filter((t) => !AWS_RESOURCE_TYPES.includes(t))).toEqual([]);
}, 120_000);

test('validatedIn: a template byte for byte as in the given assembly is not read again; a changed one is', () => {
  const stacks = ['Tenant-noaa-psl'];
  // Tampered, not validated: stands for an assembly whose templates were validated elsewhere.
  const tampered = path.join(work, `run-${run}`);
  expect(synthWithBadBucket('tenant', { stacks, validate: new Set() })).toBeUndefined();
  expect(
    synthWithBadBucket('tenant', { stacks, validatedIn: tampered, validatorThread: true }),
  ).toBeUndefined();
  // The same tampered stack against a clean assembly: its bytes differ, so it is validated.
  const clean = path.join(work, 'clean');
  synthAws(platform, clean, { stacks, validate: new Set() });
  const error = synthWithBadBucket('tenant', { stacks, validatedIn: clean, validatorThread: true });
  expect(error).toMatch(/NoSuchProperty/);
}, 120_000);

test('a synthesis that validates no stack does not load the validator (the CDK asks its version)', () => {
  // In a new process: the validator's module, once loaded, stays loaded.
  const loads = (validate: string): boolean => {
    const script = `
      const { loadPlatform } = require('./infra/model');
      const { synthAws } = require('./stacks/aws/app');
      const platform = loadPlatform({ now: '${NOW}' }).platform;
      synthAws(platform, ${JSON.stringify(path.join(work, `loads-${validate}`))}, {
        stacks: ['Tenant-noaa-psl'], ${validate},
      });
      process.stdout.write(String(Object.keys(require.cache).some((f) => f.includes('cloudformation-validate'))));`;
    const r = spawnSync(process.execPath, ['-r', './cli/register.cjs', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_VALIDATION: 'true' },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout === 'true';
  };
  expect(loads('validate: new Set(["Tenant-noaa-psl"])')).toBe(true);
  expect(loads('validate: new Set()')).toBe(false);
}, 120_000);
