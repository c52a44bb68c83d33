/**
 * parseFile keeps the last parse of each file by its text (infra/model/spec-file.ts): a second
 * read of the same text gives the same data without sharing it, and a changed file is read anew.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFile } from '../../infra/model/spec-file';
import type { SpecProblem } from '../../infra/model/problems';

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-spec-file-')), 'spec.yaml');

test('the same text twice: equal data, each caller its own copy', () => {
  fs.writeFileSync(file, 'sites:\n  - id: a\n    kind: aws\n');
  const problems: SpecProblem[] = [];
  const first = parseFile(file, problems)!;
  (first.data as { sites: { id: string }[] }).sites[0].id = 'changed by a caller';
  const second = parseFile(file, problems)!;
  expect(second.data).toEqual({ sites: [{ id: 'a', kind: 'aws' }] });
  expect(problems).toEqual([]);
});

test('a changed file is parsed again, its problems reported', () => {
  fs.writeFileSync(file, 'sites: []\n');
  expect(parseFile(file, [])!.data).toEqual({ sites: [] });
  fs.writeFileSync(file, 'sites: [\n');
  const problems: SpecProblem[] = [];
  expect(parseFile(file, problems)).toBeUndefined();
  expect(problems[0]).toMatchObject({ path: '(syntax)' });
  fs.writeFileSync(file, 'sites: []\n');
  expect(parseFile(file, [])!.data).toEqual({ sites: [] });
});
