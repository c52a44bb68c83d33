/**
 * Benchmark: wall time and peak memory of the main commands on the default platform and on
 * synthetic platforms with many more tenants, plus the size of what they produce. Prints a table.
 * Run: npm run bench [-- 0 100 500]  (extra tenants per row; default 0 100 500)
 *
 * Numbers from a shared, noisy machine are indications, not pass/fail criteria: nothing here is
 * asserted. Service-limit margins (template size, resources per stack) are what matter at scale,
 * and they are printed alongside.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { scaledSpec } from './scale';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'infra', 'cli', 'genesis.cjs');
const HOOK = path.join(__dirname, 'rss-hook.cjs');

interface Run {
  seconds: number;
  rssMiB: number;
  code: number;
}

function timed(args: string[], env: Record<string, string> = {}): Run {
  const rssFile = path.join(os.tmpdir(), `genesis-bench-rss-${process.pid}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', HOOK, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, GENESIS_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`genesis ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  const rssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(rssFile, { force: true });
  return { seconds, rssMiB, code: r.status ?? -1 };
}

function artifactStats(out: string): Record<string, string> {
  const aws = path.join(out, 'aws');
  const templates = fs.readdirSync(aws).filter((f) => f.endsWith('.template.json'));
  let maxBytes = 0;
  let maxResources = 0;
  let maxName = '';
  for (const t of templates) {
    const text = fs.readFileSync(path.join(aws, t), 'utf8');
    const resources = Object.keys(JSON.parse(text).Resources ?? {}).length;
    if (text.length > maxBytes) maxBytes = text.length;
    if (resources > maxResources) [maxResources, maxName] = [resources, t.replace('.template.json', '')];
  }
  let docs = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else docs += (fs.readFileSync(p, 'utf8').match(/^---$/gm) ?? []).length;
    }
  };
  walk(path.join(out, 'k8s'));
  const findings = JSON.parse(fs.readFileSync(path.join(out, 'report', 'findings.json'), 'utf8')).summary;
  return {
    stacks: String(templates.length),
    'max template KiB': (maxBytes / 1024).toFixed(0),
    'max resources': `${maxResources} (${maxName})`,
    'k8s objects': String(docs),
    'errors/warnings': `${findings.error}/${findings.warning}`,
  };
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number);
  const rows: Array<Record<string, string>> = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-bench-'));
  try {
    for (const extra of sizes.length ? sizes : [0, 100, 500]) {
      const spec = path.join(work, `platform-${extra}.yaml`);
      fs.writeFileSync(spec, stringify(scaledSpec(extra)));
      const out = path.join(work, `out-${extra}`);
      const validate = timed(['validate', '--spec', spec]);
      const synth = timed(['synth', '--spec', spec, '--out', out]);
      const check = timed(['check', out]);
      rows.push({
        tenants: String(7 + extra),
        'validate s': validate.seconds.toFixed(2),
        'validate MiB': validate.rssMiB.toFixed(0),
        'synth s': synth.seconds.toFixed(2),
        'synth MiB': synth.rssMiB.toFixed(0),
        'check s': check.seconds.toFixed(2),
        'check MiB': check.rssMiB.toFixed(0),
        ...artifactStats(out),
      });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const cols = Object.keys(rows[0]);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(`genesis benchmark: node ${process.version}, ${os.cpus().length} cpus, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
  console.log('CloudFormation limits: 500 resources and 1 MiB (1024 KiB) per template.');
}

main();
