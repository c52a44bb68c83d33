/**
 * Runs one hand edit of the default output through `genesis check` and asserts what tamper tests
 * assert: exit 1, a new error finding of the rule on the resource in the file, all three printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../../cli/commands/check';
import { copyOfDefault, NOW } from './default-output';

interface Found {
  ruleId: string;
  severity: string;
  location: { file: string; resourceKey: string };
}

export interface Expected {
  readonly rule: string;
  readonly resource: string;
  readonly file: string;
}

async function check(dir: string): Promise<{ code: number; out: string; findings: Found[] }> {
  let out = '';
  const code = await run([dir, '--now', NOW], { out: (t) => (out += t), err: (t) => (out += t) });
  const findings =
    code === 2
      ? []
      : (JSON.parse(fs.readFileSync(path.join(dir, 'report', 'findings.json'), 'utf8')).findings as Found[]);
  return { code, out, findings };
}

/** Where an edit starts from: a fresh copy of a synthesized output (the default platform's unless given). */
export type OutputCopy = () => Promise<string>;

const baselines = new Map<OutputCopy, Promise<Set<string>>>();
const key = (f: Found) => `${f.ruleId}|${f.location.resourceKey}`;

/** Error findings of the unedited output (the default platform's unless `copy` is given). */
export function baselineFindings(copy: OutputCopy = copyOfDefault): Promise<Set<string>> {
  let baseline = baselines.get(copy);
  if (!baseline) {
    baseline = (async () => {
      const dir = await copy();
      const r = await check(dir);
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      return new Set(r.findings.filter((f) => f.severity === 'error').map(key));
    })();
    baselines.set(copy, baseline);
  }
  return baseline;
}

/** Copies the output (the default platform's unless `copy` is given), applies `edit`, runs check and asserts the expected finding. */
export async function expectCaught(
  edit: (dir: string) => Expected,
  copy: OutputCopy = copyOfDefault,
): Promise<void> {
  const before = await baselineFindings(copy);
  const dir = await copy();
  const expected = edit(dir);
  const r = await check(dir);
  expect(r.code).toBe(1);
  const hit = r.findings.find(
    (f) => f.ruleId === expected.rule && f.location.resourceKey === expected.resource,
  );
  expect({ found: hit?.location, rules: hit ? [] : r.findings.map(key) }).toMatchObject({
    found: { file: expected.file },
  });
  expect(hit?.severity).toBe('error');
  expect(before.has(key(hit!))).toBe(false);
  expect(r.out).toContain(expected.rule);
  expect(r.out).toContain(expected.resource);
  expect(r.out).toContain(expected.file);
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
}
