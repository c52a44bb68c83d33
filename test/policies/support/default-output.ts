/**
 * The default platform's synthesized output, made once per test worker and copied for each edit.
 *
 * It is what `genesis synth --out DIR` writes. While the CLI's synth does not yet write the AWS and
 * Kubernetes targets, the same two target entry points it will call are run directly, so the
 * tests judge real target output either way.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const ROOT = path.join(__dirname, '../../..');
export const NOW = '2026-11-26';

let cached: string | undefined;

export function defaultOutput(): string {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-policy-'));
  const out = path.join(dir, 'dist');
  execFileSync(process.execPath, [path.join(ROOT, 'infra/cli/genesis.cjs'), 'synth', '--out', out, '--now', NOW], { cwd: ROOT, env: { ...process.env, CDK_VALIDATION: 'false' }, stdio: 'pipe' });
  if (!fs.existsSync(path.join(out, 'aws', 'manifest.json')) || !fs.existsSync(path.join(out, 'k8s'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadPlatform } = require('../../../infra/model') as typeof import('../../../infra/model');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildAwsApp } = require('../../../stacks/aws/app') as typeof import('../../../stacks/aws/app');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthK8s } = require('../../../constructs/k8s/synth') as typeof import('../../../constructs/k8s/synth');
    const { platform } = loadPlatform({ now: NOW });
    if (!fs.existsSync(path.join(out, 'aws', 'manifest.json'))) buildAwsApp(platform, { outdir: path.join(out, 'aws') }).app.synth();
    if (!fs.existsSync(path.join(out, 'k8s'))) synthK8s(platform, path.join(out, 'k8s'));
  }
  fs.rmSync(path.join(out, 'report'), { recursive: true, force: true });
  cached = out;
  return out;
}

/** A fresh copy of the default output to edit by hand. */
export function copyOfDefault(): string {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-tamper-')), 'dist');
  fs.cpSync(defaultOutput(), dest, { recursive: true });
  return dest;
}

export function editJson(file: string, edit: (json: Record<string, any>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 1));
}

/** Edits the objects of a multi-document YAML file; return the new list of objects. */
export function editYaml(file: string, edit: (objects: Array<Record<string, any>>) => Array<Record<string, any>>): void {
  const objects = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Record<string, any>)
    .filter((o) => o !== null);
  fs.writeFileSync(file, edit(objects).map((o) => `---\n${stringify(o)}`).join(''));
}

/** Finds the logical id of the one resource of `type` in a template for which `match` holds. */
export function logicalId(template: Record<string, any>, type: string, match: (r: Record<string, any>) => boolean = () => true): string {
  const ids = Object.entries(template.Resources as Record<string, Record<string, any>>)
    .filter(([, r]) => r.Type === type && match(r))
    .map(([id]) => id)
    .sort();
  if (ids.length === 0) throw new Error(`no ${type} in template`);
  return ids[0];
}
