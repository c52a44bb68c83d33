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

  it('writes the normalised spec with sorted keys and defaults filled in', () => {
    const platform = JSON.parse(first['platform.json']);
    expect(Object.keys(platform)).toEqual([...Object.keys(platform)].sort());
    expect(platform.storageTiers[0].encryption).toEqual({
      keyManagement: 'customer-managed',
      rotation: true,
    });
  });
});
