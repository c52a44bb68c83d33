/**
 * Spec variants for the diff tests: the default spec edited as YAML (parse, modify, stringify),
 * each synthesized once per test file by `genesis synth` in-process, and diffed with
 * `genesis diff --json`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { run as synth } from '../../cli/commands/synth';
import { genesis } from '../support/cli';

export const NOW = '2026-11-26';
export const DEFAULT_SPEC = path.resolve(__dirname, '../../infra/default/platform.yaml');

/** The parts of the default spec the variants edit (the rest passes through untouched). */
export interface Spec {
  enclaves: Array<{ cidr: string; egress: { fqdns: string[]; cidrs: string[] }; [k: string]: unknown }>;
  clusters: Array<{ nodePools: unknown[]; [k: string]: unknown }>;
  tenants: Array<{
    id: string;
    quotas?: { gpu?: Record<string, Record<string, { nominal: number }>> };
    [k: string]: unknown;
  }>;
  grants: Array<{ tenant: string; [k: string]: unknown }>;
  [k: string]: unknown;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-diff-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const outputs = new Map<string, Promise<string>>();

/** Synthesizes the default spec after `edit` (once per name and test file); returns the output folder. */
export function variant(
  name: string,
  edit: (spec: Spec) => void = () => undefined,
  exceptions?: string,
): Promise<string> {
  let out = outputs.get(name);
  if (!out) {
    out = (async () => {
      const spec = parse(fs.readFileSync(DEFAULT_SPEC, 'utf8')) as Spec;
      edit(spec);
      const specFile = path.join(root, `${name}.yaml`);
      fs.writeFileSync(specFile, stringify(spec));
      const dir = path.join(root, name);
      let log = '';
      const code = await synth(
        ['--spec', specFile, '--out', dir, '--now', NOW, ...(exceptions ? ['--exceptions', exceptions] : [])],
        { out: (t) => (log += t), err: (t) => (log += t) },
      );
      if (code !== 0) throw new Error(`synth of ${name} exited ${code}:\n${log}`);
      return dir;
    })();
    outputs.set(name, out);
  }
  return out;
}

/** A file under the test's temporary folder. */
export function tempFile(name: string, text: string): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, text);
  return file;
}

export interface JsonChange {
  section: string;
  id: string;
  change: 'added' | 'removed' | 'changed';
  classification: 'broadening' | 'narrowing' | 'neutral';
  reason: string;
  group: string;
  type: string;
  witness: { file: string; resource: string; path: string };
  before?: unknown;
  after?: unknown;
}

export interface JsonDiff {
  summary: Record<'broadening' | 'narrowing' | 'neutral', number>;
  sections: Array<{ id: string; title: string; note?: string; changes: JsonChange[] }>;
}

/** `genesis diff BASE HEAD --json` (plus extra arguments): exit code and the parsed report. */
export async function diffJson(
  base: string,
  head: string,
  ...extra: string[]
): Promise<{ code: number; diff: JsonDiff; stderr: string }> {
  const r = await genesis('diff', base, head, '--json', ...extra);
  if (r.code === 2) throw new Error(`genesis diff exited 2:\n${r.stderr}`);
  return { code: r.code, diff: (JSON.parse(r.stdout) as { result: JsonDiff }).result, stderr: r.stderr };
}

export const section = (d: JsonDiff, id: string): JsonChange[] =>
  d.sections.find((s) => s.id === id)!.changes;

/** One line per change: section, classification, resource and path (for readable expectations). */
export const lines = (changes: JsonChange[]): string[] =>
  changes.map((c) => `${c.section} ${c.classification} ${c.change} ${c.witness.resource} ${c.witness.path}`);
