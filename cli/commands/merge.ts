/** `genesis merge`: joins the reports of synthesis shards (`genesis synth --shard K/N`) into one. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  errorLines,
  exitCodeOf,
  RULES,
  summaryTable,
  writeReport,
  type CheckResult,
  type Finding,
} from '../../policies';
import { compareFindings } from '../../policies/engine/run';
import { summarise } from '../../policies/engine/checks';
import type { Severity } from '../../policies/engine/types';
import { EXIT_INVALID, parseOptions, UsageError, type Io } from '../usage';

export const HELP = `genesis merge --out DIR SHARD_DIR...

Joins the policy reports of the shards of one platform (folders written by
\`genesis synth --shard K/N\`) into DIR/report/ (findings.json, findings.sarif, report.md), as if
one check had judged every shard: a finding on an artifact that several shards hold (a site stack,
a cluster-wide file) appears once, with the messages of every shard. Exit codes: 0 no error
findings, 1 error findings, 2 a shard folder without a report.`;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** One finding per fingerprint: the worst severity, failure over unknown, every distinct message. */
export function mergeFindings(lists: ReadonlyArray<readonly Finding[]>): Finding[] {
  const byPrint = new Map<string, Finding>();
  for (const f of lists.flat()) {
    const prior = byPrint.get(f.fingerprint);
    if (!prior) {
      byPrint.set(f.fingerprint, f);
      continue;
    }
    const messages = [...new Set([...prior.message.split('; '), ...f.message.split('; ')])].sort();
    byPrint.set(f.fingerprint, {
      ...prior,
      severity: RANK[f.severity] < RANK[prior.severity] ? f.severity : prior.severity,
      status: prior.status === 'fail' || f.status === 'fail' ? 'fail' : 'unknown',
      message: messages.join('; '),
      ...(prior.suppression && f.suppression ? {} : { suppression: undefined }),
    });
  }
  return [...byPrint.values()]
    .map((f) => (f.suppression === undefined ? dropUndefined(f) : f))
    .sort(compareFindings);
}

const dropUndefined = (f: Finding): Finding =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as unknown as Finding;

/** Distinct stacks and distinct Kubernetes documents (by file and text) over the shards. */
function artifactCounts(shards: readonly string[]): { stacks: number; k8sDocuments: number } {
  const stacks = new Set<string>();
  const docs = new Set<string>();
  const walk = (root: string, dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(root, p);
      else
        for (const doc of fs.readFileSync(p, 'utf8').split(/^---$/m).slice(1))
          docs.add(`${path.relative(root, p)}\n${doc}`);
    }
  };
  for (const s of shards) {
    if (fs.existsSync(path.join(s, 'aws')))
      for (const f of fs.readdirSync(path.join(s, 'aws'))) if (f.endsWith('.template.json')) stacks.add(f);
    if (fs.existsSync(path.join(s, 'k8s'))) walk(path.join(s, 'k8s'), path.join(s, 'k8s'));
  }
  return { stacks: stacks.size, k8sDocuments: docs.size };
}

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(args, { out: { type: 'string' } }, Number.MAX_SAFE_INTEGER);
  if (!values.out) throw new UsageError('--out DIR is required');
  if (positionals.length === 0) throw new UsageError('name the shard folders to merge');
  const lists: Finding[][] = [];
  for (const shard of positionals) {
    const file = path.join(shard, 'report', 'findings.json');
    if (!fs.existsSync(file)) {
      io.err(`genesis merge: ${file} is missing: run \`genesis synth --shard K/N --out ${shard}\` first\n`);
      return EXIT_INVALID;
    }
    lists.push((JSON.parse(fs.readFileSync(file, 'utf8')) as { findings: Finding[] }).findings);
  }
  const findings = mergeFindings(lists);
  const result: CheckResult = {
    findings,
    rules: RULES,
    summary: { ...summarise(findings, RULES, {}), ...artifactCounts(positionals) },
  };
  fs.mkdirSync(values.out, { recursive: true });
  await writeReport(values.out, result, values.out);
  io.out(summaryTable(result));
  io.out(errorLines(result));
  const s = result.summary;
  io.out(
    `merged ${positionals.length} shard report(s): ${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.suppressed} suppressed; report in ${values.out}/report/\n`,
  );
  return exitCodeOf(result);
}
