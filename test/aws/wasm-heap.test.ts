/**
 * The CloudFormation validator's WebAssembly heap reserved in one step (stacks/aws/wasm-heap.cjs):
 * the reservation is made on the validator aws-cdk-lib ships, the memory does not grow while the
 * engine is built and templates are validated, and the reports are those of a validator left as
 * it is. Each case runs in its own process: the validator creates its instance once per process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/tmp';

const ROOT = path.resolve(__dirname, '..', '..');
const work = tempDir('genesis-wasm-heap-');

/** A template the CloudFormation schemas refuse in several ways, and one they accept. */
const templates = {
  Bad: {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { NoSuchProperty: true, BucketName: 42 } },
      Key: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'NOT_A_SPEC', EnableKeyRotation: 'often' } },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
    },
  },
  Good: {
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
    },
  },
};

const stacks = Object.entries(templates).map(([name, template]) => {
  const templatePath = path.join(work, `${name}.template.json`);
  fs.writeFileSync(templatePath, JSON.stringify(template));
  return { stackConstructPath: name, templatePath };
});

/**
 * Validates the templates in a new node process, reserving the heap or not; with the validator's
 * instance seen from outside, its memory's size after the engine is built and after validation.
 */
function validate(reserveHeap: boolean) {
  const script = `
    const Original = WebAssembly.Instance;
    let exports;
    WebAssembly.Instance = function (m, i) { const x = new Original(m, i); exports ??= x.exports; return x; };
    WebAssembly.Instance.prototype = Original.prototype;
    const { CloudFormationValidatePlugin } = require('aws-cdk-lib');
    const heap = require('./stacks/aws/wasm-heap.cjs');
    const plugin = new CloudFormationValidatePlugin();
    const stacks = ${JSON.stringify(stacks)};
    const run = (f) => (${reserveHeap} ? heap.withReservedHeap(f) : f());
    const first = run(() => plugin.validate({ stackTemplates: stacks.slice(1) }));
    const built = exports.memory.buffer.byteLength;
    const report = run(() => plugin.validate({ stackTemplates: stacks }));
    process.stdout.write(JSON.stringify({
      first, report, reserved: heap.heapReserved(), bytes: heap.RESERVED_BYTES,
      built, end: exports.memory.buffer.byteLength,
    }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`validator process exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('reserving the heap leaves the reports as they are, and the memory grows no more', () => {
  const plain = validate(false);
  const reserved = validate(true);

  // Something to compare: the bad template's several problems, and a clean one.
  const problems = JSON.stringify(plain.report.violations);
  for (const what of [
    'NoSuchProperty',
    'BucketName',
    'KeySpec',
    'EnableKeyRotation',
    'AssumeRolePolicyDocument',
  ])
    expect(problems).toContain(what);
  expect(plain.first).toEqual({ success: true, violations: [] });
  expect(reserved.report).toEqual(plain.report);
  expect(reserved.first).toEqual(plain.first);

  // The validator aws-cdk-lib ships has the exports the reservation uses...
  expect(plain.reserved).toBe(false);
  expect(reserved.reserved).toBe(true);
  // ...and with them reserved its memory is grown once: not by the engine, not by validation.
  expect(reserved.built).toBeGreaterThanOrEqual(reserved.bytes);
  expect(reserved.end).toBe(reserved.built);
  // Without it the memory grows as it goes (so the comparison above shows a difference).
  expect(plain.built).toBeLessThan(reserved.bytes);
}, 120_000);

test('the validator run in this thread (no validator thread) has its heap reserved too', () => {
  const script = `
    const { loadPlatform } = require('./infra/model');
    const { synthAws } = require('./stacks/aws/app');
    const platform = loadPlatform({ now: '2026-06-01' }).platform;
    synthAws(platform, ${JSON.stringify(path.join(work, 'in-thread'))}, { stacks: ['Tenant-noaa-psl'] });
    process.stdout.write(String(require('./stacks/aws/wasm-heap.cjs').heapReserved()));`;
  const r = spawnSync(process.execPath, ['-r', './cli/register.cjs', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_VALIDATION: 'true' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  expect(r.stdout).toBe('true');
}, 120_000);
