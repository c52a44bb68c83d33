/** `genesis synth` twice on the same input gives byte-identical output. */
import * as path from 'node:path';
import { genesis } from '../support/cli';
import { readTree, tempDir } from '../support/tmp';

describe('genesis synth determinism', () => {
  const dir = tempDir();
  let first: Record<string, string>;
  let second: Record<string, string>;

  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      const r = await genesis('synth', '--out', path.join(dir, name), '--now', '2026-11-26');
      if (r.code !== 0) throw new Error(`synth failed (${r.code}): ${r.stderr}`);
    }
    first = readTree(path.join(dir, 'a'));
    second = readTree(path.join(dir, 'b'));
  });

  it('writes the same files with the same bytes', () => {
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const file of Object.keys(first)) {
      if (first[file] !== second[file]) throw new Error(`${file} differs between two syntheses`);
    }
  });

  // synth's check takes the manifests' documents from the objects it has just written
  // (writtenDocuments); a check of the folder parses the files: the reports are the same bytes.
  it('reports what a check of the files it wrote reports', async () => {
    const report = path.join(dir, 'check-report');
    const r = await genesis('check', path.join(dir, 'a'), '--report', report, '--now', '2026-11-26');
    expect(r.code).toBe(0);
    const checked = readTree(report);
    const written = Object.keys(first).filter((f) => f.startsWith('report/'));
    expect(Object.keys(checked).sort()).toEqual(written.map((f) => f.slice('report/'.length)).sort());
    // report.md's title names the folder checked; everything below it is the same
    const body = (text: string, f: string) => (f.endsWith('.md') ? text.slice(text.indexOf('\n')) : text);
    for (const f of written) expect(body(checked[f.slice('report/'.length)], f)).toBe(body(first[f], f));
    expect(checked['access.json'].length).toBeGreaterThan(1000);
  });

  // In AWS workers, whose templates the parent validates while it checks the assembly they wrote
  // (stacks/aws/cfn-validation-channel.ts): the same files as in one process, the CloudFormation
  // validator's report included.
  it('writes the same bytes with the AWS stacks in two workers', async () => {
    const saved = { workers: process.env.GENESIS_AWS_WORKERS, validation: process.env.CDK_VALIDATION };
    const synth = async (workers: string, out: string): Promise<Record<string, string>> => {
      process.env.GENESIS_AWS_WORKERS = workers;
      const r = await genesis('synth', '--out', path.join(dir, out), '--now', '2026-11-26');
      expect(r.code).toBe(0);
      return readTree(path.join(dir, out));
    };
    let single: Record<string, string>;
    let parallel: Record<string, string>;
    try {
      process.env.CDK_VALIDATION = 'true';
      single = await synth('1', 'validated-single');
      parallel = await synth('2', 'validated-workers');
    } finally {
      for (const [k, v] of [
        ['GENESIS_AWS_WORKERS', saved.workers],
        ['CDK_VALIDATION', saved.validation],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    expect(single['aws/validation-report.json']).toMatch(/CloudFormation Validate/);
    expect(Object.keys(parallel)).toEqual(Object.keys(single));
    for (const file of Object.keys(single))
      expect({ file, bytes: parallel[file] }).toEqual({ file, bytes: single[file] });
  }, 240_000);

  it('writes the normalised spec with sorted keys and defaults filled in', () => {
    const platform = JSON.parse(first['platform.json']);
    expect(Object.keys(platform)).toEqual([...Object.keys(platform)].sort());
    expect(platform.storageTiers[0].encryption).toEqual({
      keyManagement: 'customer-managed',
      rotation: true,
    });
  });
});
