/**
 * The default platform's synthesized output, made once per test file by `genesis synth` (its
 * command module, run in-process: the CLI process would spend seconds compiling the sources) and
 * copied for each edit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { run as check } from '../../../cli/commands/check';
import { run as synth } from '../../../cli/commands/synth';
import { TEST_NOW } from '../../support/dates';

export const NOW = TEST_NOW;

let cached: Promise<string> | undefined;

/** Synthesizes the default platform (once) and returns the output folder, report removed. */
export function defaultOutput(): Promise<string> {
  cached ??= (async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-policy-')), 'dist');
    let log = '';
    const code = await synth(['--out', out, '--now', NOW], {
      out: (t) => (log += t),
      err: (t) => (log += t),
    });
    if (!fs.existsSync(path.join(out, 'aws', 'manifest.json')) || !fs.existsSync(path.join(out, 'k8s')))
      throw new Error(`genesis synth wrote no aws/ or k8s/ (exit ${code}):\n${log}`);
    fs.rmSync(path.join(out, 'report'), { recursive: true, force: true });
    return out;
  })();
  return cached;
}

/** A fresh copy of the default output to edit by hand. */
export async function copyOfDefault(): Promise<string> {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-tamper-')), 'dist');
  fs.cpSync(await defaultOutput(), dest, { recursive: true });
  return dest;
}

export function editJson(file: string, edit: (json: Record<string, any>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 1));
}

/** Edits the objects of a multi-document YAML file; return the new list of objects. */
export function editYaml(
  file: string,
  edit: (objects: Array<Record<string, any>>) => Array<Record<string, any>>,
): void {
  const objects = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Record<string, any>)
    .filter((o) => o !== null);
  fs.writeFileSync(
    file,
    edit(objects)
      .map((o) => `---\n${stringify(o)}`)
      .join(''),
  );
}

/** Finds the logical id of the one resource of `type` in a template for which `match` holds. */
export function logicalId(
  template: Record<string, any>,
  type: string,
  match: (r: Record<string, any>) => boolean = () => true,
): string {
  const ids = Object.entries(template.Resources as Record<string, Record<string, any>>)
    .filter(([, r]) => r.Type === type && match(r))
    .map(([id]) => id)
    .sort();
  if (ids.length === 0) throw new Error(`no ${type} in template`);
  return ids[0];
}

/** A finding as report/findings.json holds it (the fields the tamper tests read). */
export interface Found {
  ruleId: string;
  severity: string;
  status: string;
  message: string;
  location: { file: string; resourceKey: string };
  suppression?: unknown;
}

/** `genesis check DIR` in-process: its exit code, what it printed, and the findings it wrote. */
export async function checkOutput(dir: string): Promise<{ code: number; out: string; findings: Found[] }> {
  let out = '';
  const code = await check([dir, '--now', NOW], { out: (t) => (out += t), err: (t) => (out += t) });
  const findings =
    code === 2
      ? []
      : (JSON.parse(fs.readFileSync(path.join(dir, 'report', 'findings.json'), 'utf8')).findings as Found[]);
  return { code, out, findings };
}
