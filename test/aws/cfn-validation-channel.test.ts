/**
 * The validator a parallel synthesis serves to its workers (stacks/aws/cfn-validation-channel.ts):
 * a worker's templates are validated by the parent's one thread, and a schema error there fails
 * the worker, with the CDK's report, as it does when the worker validates them itself.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChannelValidator, ValidatorService, writeAnswer } from '../../stacks/aws/cfn-validation-channel';
import { runWorker } from '../../stacks/aws/parallel';
import { tempDir } from '../support/tmp';

const work = tempDir('genesis-cfn-channel-');
const before = process.env.CDK_VALIDATION;
beforeAll(() => (process.env.CDK_VALIDATION = 'true'));
afterAll(() => (process.env.CDK_VALIDATION = before));

const TAMPERED = path.join(__dirname, '../fixtures/tampered-worker.ts');
const stack = { templatePath: 'x.template.json', stackConstructPath: 'x' } as never;

test('a schema error in a worker, validated by the parent, fails the worker with the report', async () => {
  const validator = new ValidatorService();
  const asked = jest.spyOn(validator, 'validate');
  const outdir = path.join(work, 'tampered');
  const answerFile = path.join(work, 'tampered-answer.json');
  try {
    const worker = runWorker(TAMPERED, [outdir, answerFile], { validator, answerFile });
    await worker.written;
    // the assembly is on disk when the worker asks
    expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'Tenant-noaa-psl.template.json'))).toBe(true);
    validator.end();
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

describe('a worker waiting for its answer', () => {
  const channel = (name: string): { fd: number; file: string } => {
    const file = path.join(work, `${name}.channel`);
    return { fd: fs.openSync(file, 'w'), file };
  };

  it('sends its request and takes the answer the parent writes', () => {
    const { fd, file } = channel('answered');
    const answerFile = path.join(work, 'answered.json');
    writeAnswer(answerFile, { report: { success: true, violations: [] }, version: '9.9.9' });
    const v = new ChannelValidator(answerFile, fd);
    expect(v.validate([stack])).toEqual({ success: true, violations: [] });
    expect(v.version).toBe('9.9.9');
    fs.closeSync(fd);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ stacks: [stack] });
  });

  it('fails with the error the parent answers', () => {
    const { fd } = channel('error');
    const answerFile = path.join(work, 'error.json');
    writeAnswer(answerFile, { error: 'the validator thread ended' });
    expect(() => new ChannelValidator(answerFile, fd).validate([stack])).toThrow(
      /validator of the parent: the validator thread ended/,
    );
    fs.closeSync(fd);
  });

  it('stops waiting when its parent is gone', () => {
    const { fd } = channel('orphan');
    const gone = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
        .stdout,
    );
    const v = new ChannelValidator(path.join(work, 'never.json'), fd, gone);
    expect(() => v.validate([stack])).toThrow(/parent process ended before answering/);
    fs.closeSync(fd);
  });
});

test('the validator answers a request it cannot read with its error, in the answer file too', async () => {
  const validator = new ValidatorService();
  const answerFile = path.join(work, 'missing-answer.json');
  try {
    const answer = await validator.validate(
      [{ templatePath: path.join(work, 'missing.template.json'), stackConstructPath: 'Missing' }] as never,
      answerFile,
    );
    expect(answer.report).toBeUndefined();
    expect(answer.error).toMatch(/missing\.template\.json/);
    expect(JSON.parse(fs.readFileSync(answerFile, 'utf8'))).toEqual(answer);
  } finally {
    validator.close();
  }
}, 60_000);

test('with two threads, each request gets its own answer', async () => {
  const validator = new ValidatorService(2);
  try {
    const ask = (name: string) =>
      validator.validate(
        [{ templatePath: path.join(work, `${name}.template.json`), stackConstructPath: name }] as never,
        path.join(work, `${name}-answer.json`),
      );
    const [a, b, c] = await Promise.all([ask('first'), ask('second'), ask('third')]);
    expect(a.error).toMatch(/first\.template\.json/);
    expect(b.error).toMatch(/second\.template\.json/);
    expect(c.error).toMatch(/third\.template\.json/);
    for (const name of ['first', 'second', 'third'])
      expect(fs.readFileSync(path.join(work, `${name}-answer.json`), 'utf8')).toMatch(
        new RegExp(`${name}\\.template\\.json`),
      );
  } finally {
    validator.close();
  }
}, 60_000);

test('a validator whose thread has ended answers at once with an error, never leaving a worker waiting', async () => {
  const validator = new ValidatorService(1);
  validator.close();
  // asked while the thread ends: answered when it has
  const answer = await validator.validate(
    [{ templatePath: path.join(work, 'late.template.json'), stackConstructPath: 'Late' }] as never,
    path.join(work, 'late-answer.json'),
  );
  expect(answer.report).toBeUndefined();
  expect(answer.error).toMatch(/thread ended|terminated/);
  // asked once it has ended: answered at once (a message to an ended thread is never answered)
  const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000).unref());
  const again = await Promise.race([validator.validate([], path.join(work, 'later-answer.json')), waited]);
  expect(again).toEqual({ error: expect.stringMatching(/thread ended|terminated/) });
}, 60_000);
