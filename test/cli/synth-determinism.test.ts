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

  it('writes the normalised spec with sorted keys and defaults filled in', () => {
    const platform = JSON.parse(first['platform.json']);
    expect(Object.keys(platform)).toEqual([...Object.keys(platform)].sort());
    expect(platform.storageTiers[0].encryption).toEqual({
      keyManagement: 'customer-managed',
      rotation: true,
    });
  });
});
