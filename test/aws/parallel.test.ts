/**
 * Parallel AWS synthesis (tenant ranges in worker processes, merged) writes the same bytes as one
 * process: every file of the cloud assembly, including manifest.json, tree.json and the
 * CloudFormation validator's report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadPlatform, type LoadOptions } from '../../infra/model';
import { synthAws } from '../../stacks/aws/app';
import { stackRanges, startAwsParallel } from '../../stacks/aws/parallel';
import { scaledSpec } from '../bench/scale';
import { PARTNER_AWS_STACK, writePartnerAwsSpec } from '../fixtures/partner-aws';
import { readTree, tempDir } from '../support/tmp';
import { NOW } from './synth';

const work = tempDir('genesis-parallel-');

async function compare(load: LoadOptions, workers: number, name: string): Promise<void> {
  const platform = loadPlatform(load).platform;
  const sequential = path.join(work, `${name}-seq`);
  const parallel = path.join(work, `${name}-par`);
  synthAws(platform, sequential);
  expect(stackRanges(platform, workers).length).toBe(workers);
  await (
    await startAwsParallel(platform, parallel, load, workers)
  ).finished;
  const a = readTree(sequential);
  const b = readTree(parallel);
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const file of Object.keys(a)) expect({ file, bytes: b[file] }).toEqual({ file, bytes: a[file] });
}

test('the default platform in two workers', async () => {
  await compare({ now: NOW }, 2, 'default');
}, 180_000);

test('a platform with a partner site hosted in its own AWS account in two workers', async () => {
  const spec = writePartnerAwsSpec(fs.mkdtempSync(path.join(work, 'partner-')));
  await compare({ spec, now: NOW }, 2, 'partner-aws');
  expect(fs.existsSync(path.join(work, 'partner-aws-par', `${PARTNER_AWS_STACK}.template.json`))).toBe(true);
}, 180_000);

test('a platform with more tenants in three workers, with the CloudFormation validator and its report', async () => {
  const spec = path.join(work, 'scaled.yaml');
  fs.writeFileSync(spec, stringify(scaledSpec(7)));
  const before = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    await compare({ spec, now: NOW }, 3, 'scaled');
  } finally {
    process.env.CDK_VALIDATION = before;
  }
  expect(fs.existsSync(path.join(work, 'scaled-par', 'validation-report.json'))).toBe(true);
}, 300_000);
