/**
 * parseFile with a parse cache (infra/model/spec-file.ts), as `genesis tenant plan` loads one spec
 * twice: a second read of the same text gives the same data without sharing it, and a changed
 * file is read anew.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFile, type ParseCache } from '../../infra/model/spec-file';
import type { SpecProblem } from '../../infra/model/problems';

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-spec-file-')), 'spec.yaml');

test('the same text twice: parsed once, equal data, each caller its own copy', () => {
  fs.writeFileSync(file, 'sites:\n  - id: a\n    kind: aws\n');
  const cache: ParseCache = new Map();
  const problems: SpecProblem[] = [];
  const first = parseFile(file, problems, cache)!;
  (first.data as { sites: { id: string }[] }).sites[0].id = 'changed by a caller';
  const second = parseFile(file, problems, cache)!;
  expect(second.doc).toBe(first.doc);
  expect(second.data).toEqual({ sites: [{ id: 'a', kind: 'aws' }] });
  expect(problems).toEqual([]);
  // Without a cache, nothing is kept.
  expect(parseFile(file, [])!.doc).not.toBe(parseFile(file, [])!.doc);
});

test('a changed file is parsed again, its problems reported', () => {
  const cache: ParseCache = new Map();
  fs.writeFileSync(file, 'sites: []\n');
  expect(parseFile(file, [], cache)!.data).toEqual({ sites: [] });
  fs.writeFileSync(file, 'sites: [\n');
  const problems: SpecProblem[] = [];
  expect(parseFile(file, problems, cache)).toBeUndefined();
  expect(problems[0]).toMatchObject({ path: '(syntax)' });
  fs.writeFileSync(file, 'sites: [a]\n');
  expect(parseFile(file, [], cache)!.data).toEqual({ sites: ['a'] });
});
