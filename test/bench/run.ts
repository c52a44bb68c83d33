/**
 * Benchmark: wall time and peak memory of the main commands on the default platform and on
 * synthetic platforms with many more tenants, the growth exponent and marginal cost of each phase,
 * and the margins to the AWS service limits at the largest size.
 * Run: npm run bench [-- 100 300 1000] [--repeat N] [--json FILE]
 *   (extra tenants per row, default 0 100 500 3000; each phase run N times, default 1, and the
 *   median of each measure kept: on a shared machine one run can be 20% off)
 *
 * Phases, each its own process:
 *   validate   genesis validate --spec (load, schema, cross-checks)
 *   synth      genesis synth --spec --out: both targets and the policy check, end to end
 *   check      genesis check OUT: the policy check alone
 *   diff       genesis diff OUT COPY: the security diff of two outputs of that size (the copy has one
 *              grant made to outlast its agreement, so each side is read, and analysed, in full)
 *   partner    the CDK app building one tenant's stack (what `cdk synth Tenant-x -c stacks=Tenant-x` runs)
 *   plan       genesis tenant plan for a revision of one tenant
 * Peak memory is what the command's processes (AWS synthesis workers included) held at once,
 * sampled every 50 ms from /proc (tree-rss.cjs); the sum of each process's own peak, an upper
 * bound, is reported beside it. Numbers from a shared, noisy machine are indications: nothing
 * here is asserted. Progress goes to stderr, the table to stdout, everything to the JSON file.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { scaledSpec } from './scale';
import { limitMargins, type Margin } from './limits';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'cli', 'genesis.cjs');
const APP = path.join(ROOT, 'stacks', 'aws', 'main.ts');
const HOOK = path.join(__dirname, 'rss-hook.cjs');
const TREE_RSS = path.join(__dirname, 'tree-rss.cjs');
const NOW = '2026-12-01';
const PHASES = ['validate', 'synth', 'check', 'diff', 'partner', 'plan'] as const;
type Phase = (typeof PHASES)[number];

interface Run {
  readonly seconds: number;
  /** CPU time of every process of the command: on a shared machine, steadier than wall time. */
  readonly cpuSeconds: number;
  /** The largest resident memory of the command's processes at once (sampled; NaN without /proc). */
  readonly peakMiB: number;
  /** The sum of each process's own peak: an upper bound of `peakMiB`. */
  readonly sumPeakMiB: number;
  /** Node processes the command ran (itself and its workers). */
  readonly processes: number;
  readonly code: number;
}

interface Row {
  readonly tenants: number;
  readonly runs: Record<Phase, Run>;
  readonly stacks: number;
  readonly k8sObjects: number;
  readonly findings: { error: number; warning: number };
  readonly margins: readonly Margin[];
}

const progress = (msg: string): boolean =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const countLines = (file: string): number =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').length : 0;

/** Sum of the numbers a file holds, one a line (NaN when the file is missing). */
function sumLines(file: string): number {
  if (!fs.existsSync(file)) return NaN;
  const sum = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map(Number)
    .reduce((a, b) => a + b, 0);
  fs.rmSync(file, { force: true });
  return sum;
}

/** Starts sampling the resident memory of this process's descendants; the stop returns the peak in KiB. */
function sampleTree(): () => number {
  if (!fs.existsSync('/proc/self/status')) return () => NaN;
  const out = path.join(os.tmpdir(), `genesis-bench-tree-${process.pid}`);
  fs.rmSync(out, { force: true });
  const sampler = spawn(process.execPath, [TREE_RSS, String(process.pid), out], { stdio: 'ignore' });
  return () => {
    sampler.kill('SIGTERM');
    const wait = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 500 && !fs.existsSync(out); i++) Atomics.wait(wait, 0, 0, 10);
    const kib = fs.existsSync(out) ? Number(fs.readFileSync(out, 'utf8')) : NaN;
    fs.rmSync(out, { force: true });
    return kib;
  };
}

function timed(args: string[], env: Record<string, string> = {}, script = CLI): Run {
  const rssFile = path.join(os.tmpdir(), `genesis-bench-rss-${process.pid}`);
  const cpuFile = path.join(os.tmpdir(), `genesis-bench-cpu-${process.pid}`);
  for (const f of [rssFile, cpuFile]) fs.rmSync(f, { force: true });
  const stopSampling = sampleTree();
  const start = process.hrtime.bigint();
  // As users run them: the CLI registers its require hook itself; the CDK app as cdk.json runs it.
  const hook = script === CLI ? [] : ['-r', path.join(ROOT, 'cli', 'register.cjs')];
  const r = spawnSync(process.execPath, [...hook, script, ...args], {
    cwd: ROOT,
    // every node process of the command (AWS workers too) records its peak RSS and CPU time
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${HOOK}`.trim(),
      GENESIS_BENCH_RSS_FILE: rssFile,
      GENESIS_BENCH_CPU_FILE: cpuFile,
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const treeKiB = stopSampling();
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`${path.basename(script)} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return {
    seconds,
    cpuSeconds: sumLines(cpuFile) / 1e6,
    peakMiB: treeKiB / 1024,
    processes: countLines(rssFile),
    sumPeakMiB: sumLines(rssFile) / 1024,
    code: r.status ?? -1,
  };
}

/**
 * A partner file revising one tenant of the spec (for `genesis tenant plan`): its first grant ends
 * a day earlier, so the plan has a change to show (the tenant's data policy) and to validate.
 */
function partnerFile(spec: ReturnType<typeof scaledSpec>, tenant: string, file: string): void {
  const t = spec.tenants.find((x: { id: string }) => x.id === tenant);
  const grants = spec.grants
    .filter((g: { tenant: string }) => g.tenant === tenant)
    .map(({ tenant: _, ...g }: Record<string, unknown>) => g);
  const day = new Date(`${String(grants[0].expires)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  grants[0] = { ...grants[0], expires: day.toISOString().slice(0, 10) };
  fs.writeFileSync(file, stringify({ apiVersion: 'genesis.platform/v1', kind: 'Tenant', tenant: t, grants }));
}

/**
 * A copy of an output with one change a reviewer must see: the first tenant data role's grant
 * condition (aws:CurrentTime before the grant's end) moved ten years later.
 */
function changedCopy(out: string): string {
  const copy = `${out}-head`;
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(out, copy, { recursive: true });
  const aws = path.join(copy, 'aws');
  const file = fs
    .readdirSync(aws)
    .filter((f) => f.startsWith('Tenant-') && f.endsWith('.template.json'))
    .sort()
    .map((f) => path.join(aws, f))
    .find((f) => /"aws:CurrentTime":\s*"20\d\d-/.test(fs.readFileSync(f, 'utf8')));
  if (file) {
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      text.replace(
        /("aws:CurrentTime":\s*")(20\d\d)/,
        (_, head: string, y: string) => `${head}${Number(y) + 10}`,
      ),
    );
  }
  return copy;
}

function countDocs(dir: string): number {
  let docs = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    docs += e.isDirectory() ? countDocs(p) : (fs.readFileSync(p, 'utf8').match(/^---$/gm) ?? []).length;
  }
  return docs;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Each measure's median over repeated runs of a phase (the exit code must be the same in each). */
function medianRun(runs: readonly Run[]): Run {
  const codes = new Set(runs.map((r) => r.code));
  if (codes.size > 1) throw new Error(`runs of one phase exited differently: ${[...codes].join(', ')}`);
  return {
    seconds: median(runs.map((r) => r.seconds)),
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    peakMiB: median(runs.map((r) => r.peakMiB)),
    sumPeakMiB: median(runs.map((r) => r.sumPeakMiB)),
    processes: Math.max(...runs.map((r) => r.processes)),
    code: runs[0].code,
  };
}

function measure(work: string, extra: number, repeat: number): Row {
  const spec = scaledSpec(extra);
  const tenants = spec.tenants.length;
  const specFile = path.join(work, `platform-${extra}.yaml`);
  fs.writeFileSync(specFile, stringify(spec));
  const out = path.join(work, `out-${extra}`);
  const partner = extra > 0 ? 'bench-t00000' : 'noaa-psl';
  const tenantFile = path.join(work, `${partner}.tenant.yaml`);
  partnerFile(spec, partner, tenantFile);
  const step = (phase: Phase, once: () => Run): Run => {
    progress(`${tenants} tenants: ${phase}...`);
    const runs = Array.from({ length: repeat }, (_, i) => {
      const r = once();
      if (repeat > 1)
        progress(`${tenants} tenants: ${phase} run ${i + 1} of ${repeat}: ${r.seconds.toFixed(1)} s`);
      return r;
    });
    const r = medianRun(runs);
    progress(
      `${tenants} tenants: ${phase} ${r.seconds.toFixed(1)} s (cpu ${r.cpuSeconds.toFixed(1)} s), ${r.peakMiB.toFixed(0)} MiB at once (${r.sumPeakMiB.toFixed(0)} MiB summed over process peaks)`,
    );
    return r;
  };
  const runs = {
    validate: step('validate', () => timed(['validate', '--spec', specFile, '--now', NOW])),
    synth: step('synth', () => timed(['synth', '--spec', specFile, '--out', out, '--now', NOW])),
    check: step('check', () => timed(['check', out, '--now', NOW])),
    diff: step('diff', () => timed(['diff', out, changedCopy(out), '--now', NOW, '--json'])),
    partner: step('partner', () =>
      timed(
        [],
        {
          CDK_OUTDIR: path.join(work, `partner-${extra}`),
          GENESIS_SPEC: specFile,
          GENESIS_STACKS: `Tenant-${partner}`,
          GENESIS_NOW: NOW,
        },
        APP,
      ),
    ),
    plan: step('plan', () => timed(['tenant', 'plan', tenantFile, '--spec', specFile, '--now', NOW])),
  };
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'report', 'findings.json'), 'utf8')).summary;
  const stacks = fs.readdirSync(path.join(out, 'aws')).filter((f) => f.endsWith('.template.json')).length;
  const row = {
    tenants,
    runs,
    stacks,
    k8sObjects: countDocs(path.join(out, 'k8s')),
    findings: { error: summary.error, warning: summary.warning },
    margins: limitMargins(out),
  };
  for (const dir of [out, `${out}-head`, path.join(work, `partner-${extra}`)])
    fs.rmSync(dir, { recursive: true, force: true });
  return row;
}

/** Growth exponent k of t ~ n^k between two sizes, and marginal milliseconds per tenant. */
function growth(
  a: Row,
  b: Row,
  phase: Phase,
  measure: 'seconds' | 'cpuSeconds',
): { exponent: number; marginalMs: number } {
  const [ta, tb] = [a.runs[phase][measure], b.runs[phase][measure]];
  return {
    exponent: Math.log(tb / ta) / Math.log(b.tenants / a.tenants),
    marginalMs: ((tb - ta) / (b.tenants - a.tenants)) * 1000,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function report(rows: Row[], repeat: number): string {
  const out: string[] = [
    `genesis benchmark: node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg()[0].toFixed(1)}${repeat > 1 ? `; each measure the median of ${repeat} runs` : ''}`,
    '',
  ];
  const head = [
    'tenants',
    ...PHASES.flatMap((p) => [`${p} s`, `${p} cpu s`, `${p} MiB`]),
    'stacks',
    'k8s objects',
    'errors/warnings',
  ];
  out.push(
    table([
      head,
      ...rows.map((r) => [
        String(r.tenants),
        ...PHASES.flatMap((p) => [
          r.runs[p].seconds.toFixed(2),
          r.runs[p].cpuSeconds.toFixed(2),
          r.runs[p].peakMiB.toFixed(0),
        ]),
        String(r.stacks),
        String(r.k8sObjects),
        `${r.findings.error}/${r.findings.warning}`,
      ]),
    ]),
  );
  out.push(
    '',
    'Synth memory (goal: 2 GiB at 1,000 tenants): resident at once, and the sum of each process peak',
    table([
      ['tenants', 'synth MiB at once', 'synth MiB summed', 'processes'],
      ...rows.map((r) => [
        String(r.tenants),
        r.runs.synth.peakMiB.toFixed(0),
        r.runs.synth.sumPeakMiB.toFixed(0),
        String(r.runs.synth.processes),
      ]),
    ]),
  );
  out.push(
    '',
    'Security diff of two outputs against the check of one (goal: under 2x)',
    table([
      ['tenants', 'diff s', 'check s', 'diff/check wall', 'diff/check cpu'],
      ...rows.map((r) => [
        String(r.tenants),
        r.runs.diff.seconds.toFixed(2),
        r.runs.check.seconds.toFixed(2),
        `${(r.runs.diff.seconds / r.runs.check.seconds).toFixed(2)}x`,
        `${(r.runs.diff.cpuSeconds / r.runs.check.cpuSeconds).toFixed(2)}x`,
      ]),
    ]),
  );
  if (rows.length > 1) {
    const pairs = rows.slice(1).map((r, i) => [rows[i], r] as const);
    if (rows.length > 2) pairs.push([rows[0], rows[rows.length - 1]]);
    for (const measure of ['seconds', 'cpuSeconds'] as const) {
      out.push(
        '',
        `Growth of ${measure === 'seconds' ? 'wall' : 'CPU'} time per phase: exponent k of time ~ tenants^k, and marginal ms per added tenant`,
      );
      out.push(
        table([
          ['between', ...PHASES.flatMap((p) => [`${p} k`, `${p} ms/t`])],
          ...pairs.map(([a, b]) => [
            `${a.tenants}-${b.tenants}`,
            ...PHASES.flatMap((p) => [
              growth(a, b, p, measure).exponent.toFixed(2),
              growth(a, b, p, measure).marginalMs.toFixed(1),
            ]),
          ]),
        ]),
      );
    }
  }
  const last = rows[rows.length - 1];
  const prev = rows.length > 1 ? rows[rows.length - 2] : undefined;
  out.push(
    '',
    `AWS limits at ${last.tenants} tenants (largest item of each kind; projected linearly to 5,000 tenants from the two largest sizes)`,
  );
  out.push(
    table([
      ['limit', 'largest', 'of limit', 'at 5,000', 'where'],
      ...last.margins.map((m) => {
        const before = prev?.margins.find((x) => x.limit === m.limit);
        const slope = before && prev ? (m.value - before.value) / (last.tenants - prev.tenants) : 0;
        const projected = m.value + slope * (5000 - last.tenants);
        return [
          m.limit,
          String(m.value),
          `${((m.value / m.max) * 100).toFixed(1)}%`,
          `${((projected / m.max) * 100).toFixed(1)}%`,
          m.where,
        ];
      }),
    ]),
  );
  return `${out.join('\n')}\n`;
}

function main(): void {
  const args = process.argv.slice(2);
  const usage = 'usage: npm run bench [-- 100 300 1000] [--repeat N] [--json FILE]\n';
  const option = (name: string, valid: (v: string) => boolean, what: string): number => {
    const at = args.indexOf(name);
    if (at >= 0 && (args[at + 1] === undefined || !valid(args[at + 1]))) {
      process.stderr.write(`bench: ${name} needs ${what}\n${usage}`);
      process.exit(2);
    }
    return at;
  };
  const jsonAt = option('--json', (v) => !v.startsWith('-'), 'a file name');
  const repeatAt = option('--repeat', (v) => /^[1-9]\d*$/.test(v), 'a whole number of runs, 1 or more');
  const jsonFile =
    jsonAt >= 0 ? path.resolve(args[jsonAt + 1]) : path.join(os.tmpdir(), 'genesis-bench-result.json');
  const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 1;
  const taken = new Set<number>();
  for (const at of [jsonAt, repeatAt]) if (at >= 0) taken.add(at).add(at + 1);
  const sizeArgs = args.filter((_, i) => !taken.has(i));
  const bad = sizeArgs.filter((a) => !/^\d+$/.test(a));
  if (bad.length) {
    process.stderr.write(
      `bench: ${bad.map((a) => JSON.stringify(a)).join(', ')}: sizes are whole numbers of extra tenants\n${usage}`,
    );
    process.exit(2);
  }
  const sizes = sizeArgs.map(Number);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-bench-'));
  const rows: Row[] = [];
  try {
    for (const extra of sizes.length ? sizes : [0, 100, 500, 3000]) {
      rows.push(measure(work, extra, repeat));
      fs.writeFileSync(
        jsonFile,
        `${JSON.stringify({ node: process.version, cpus: os.cpus().length, repeat, rows }, null, 2)}\n`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(report(rows, repeat));
  progress(`results written to ${jsonFile}`);
}

main();
