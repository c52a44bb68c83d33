/**
 * The validator a parallel synthesis serves to its workers (stacks/aws/cfn-validation-channel.ts):
 * a worker's templates are validated by the parent's one thread, and a schema error there fails
 * the worker, with the CDK's report, as it does when the worker validates them itself.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { ValidatorService } from '../../stacks/aws/cfn-validation-channel';
import { runWorker } from '../../stacks/aws/parallel';
import { ROOT } from '../support/bin';
import { tempDir } from '../support/tmp';

const work = tempDir('genesis-cfn-channel-');
const before = process.env.CDK_VALIDATION;
beforeAll(() => (process.env.CDK_VALIDATION = 'true'));
afterAll(() => (process.env.CDK_VALIDATION = before));

test('a schema error in a worker, validated by the parent, fails the worker with the report', async () => {
  const validator = new ValidatorService();
  const asked = jest.spyOn(validator, 'validate');
  const outdir = path.join(work, 'tampered');
  try {
    const worker = runWorker(path.join(__dirname, '../fixtures/tampered-worker.ts'), [outdir], validator);
    await worker.written;
    // the assembly is on disk when the worker asks
    expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'Tenant-noaa-psl.template.json'))).toBe(true);
    const failure = await worker.exited.then(
      () => '',
      (e: Error) => e.message,
    );
    expect(failure).toMatch(/NoSuchProperty/);
    expect(failure).toMatch(/\(CloudFormation Validate\)/);
  } finally {
    validator.close();
  }
  expect(asked).toHaveBeenCalledTimes(1);
  expect(asked.mock.calls[0][0].map((s) => path.basename(s.templatePath))).toEqual([
    'Tenant-noaa-psl.template.json',
  ]);
  const report = fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
  expect(report).toMatch(/NoSuchProperty/);
  expect(report).toMatch(/Tampered/);
}, 120_000);

test('a worker whose parent closes the channel fails instead of waiting', async () => {
  const script = `
    const { ChannelValidator } = require(${JSON.stringify(path.join(ROOT, 'stacks/aws/cfn-validation-channel.ts'))});
    try {
      new ChannelValidator().validate([{ templatePath: 'x.template.json', stackConstructPath: 'x' }]);
    } catch (e) {
      process.stderr.write(e.message);
      process.exit(1);
    }
  `;
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'cli/register.cjs'), '-e', script], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const channel = child.stdio[3] as Duplex;
  const request = await new Promise<string>((resolve) =>
    channel.once('data', (d: Buffer) => resolve(d.toString())),
  );
  expect(JSON.parse(request)).toEqual({
    stacks: [{ templatePath: 'x.template.json', stackConstructPath: 'x' }],
  });
  channel.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect({ code, stderr }).toEqual({ code: 1, stderr: 'the parent closed the validation channel' });
}, 60_000);

test('a request the validator cannot read is answered with its error', async () => {
  const validator = new ValidatorService();
  try {
    const answer = await validator.validate([
      { templatePath: path.join(work, 'missing.template.json'), stackConstructPath: 'Missing' },
    ] as never);
    expect(answer.report).toBeUndefined();
    expect(answer.error).toMatch(/missing\.template\.json/);
  } finally {
    validator.close();
  }
}, 60_000);
