/** `genesis access`: who can reach which data, until when, over which network path. */
import { stableJson } from '../../infra/util/stable-json';
import { InputError } from '../../policies';
import { accessMatrix } from '../../policies/analysis/access/matrix';
import { accessReport, textTable } from '../../policies/analysis/access/present';
import { loadArtifacts } from '../../policies/engine/load';
import { todayUtc } from '../../policies/engine/checks';
import { EXIT_INVALID, parseOptions, UsageError, type Io } from '../usage';

export const HELP = `genesis access [DIR] [--tenant ID] [--dataset ID] [--at YYYY-MM-DD] [--json]

Prints the effective access matrix of the artifacts in DIR (default: dist/), computed from the
CloudFormation and Kubernetes artifacts alone (IAM, boundary, bucket, key and VPC endpoint
policies; EKS access entries and Pod Identity; RBAC and dataset volumes): one row per principal
and data store, with the access it has, the last day it holds, and the network path (enclave
endpoint or cluster). Then every difference from the grants of DIR/platform.json, who can
change access in one step, and who else runs workloads in tenant namespaces (a federation
manager's group on its workers), declared by the federations of platform.json or not.
  --tenant ID      only rows of this tenant
  --dataset ID     only rows of this dataset
  --at YYYY-MM-DD  the day to evaluate (default: today, UTC); time conditions flip after it
  --json           machine-readable output (the same as report/access.json of genesis check)
Exit codes: 0 access equals the grants, 1 a difference (or an undecided cell), 2 unreadable
input or usage.`;

export function run(args: string[], io: Io): number {
  const { values, positionals } = parseOptions(
    args,
    {
      tenant: { type: 'string' },
      dataset: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
    },
    1,
  );
  if (values.at !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.at))
    throw new UsageError(`--at must be a date YYYY-MM-DD, not "${values.at}"`);
  const dir = positionals[0] ?? 'dist';
  let artifacts;
  try {
    artifacts = loadArtifacts(dir);
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`genesis access: unreadable input: ${e.message}\n`);
      return EXIT_INVALID;
    }
    throw e;
  }
  const at = values.at ?? todayUtc();
  const m = accessMatrix({ artifacts, now: at }, Date.parse(`${at}T00:00:00Z`));
  const report = accessReport(m, { tenant: values.tenant, dataset: values.dataset });
  io.result?.(report);
  if (values.json) {
    io.out(stableJson(report));
  } else {
    io.out(`Effective access on ${at} (${dir}):\n\n`);
    io.out(report.rows.length ? textTable(report.rows) : '(no access)\n');
    if (!m.intent) io.out('\nno platform.json: access not compared with grants\n');
    else if (report.differences.length === 0)
      io.out(
        '\nintent = effect: every cell is declared by a grant and every grant is effective (0 differences, 0 undecided)\n',
      );
    else {
      io.out(
        `\n${report.summary.differences} difference${report.summary.differences === 1 ? '' : 's'}, ${report.summary.undecided} undecided:\n`,
      );
      for (const d of report.differences) io.out(`  ${d.at.file} ${d.at.resource}: ${d.message}\n`);
    }
    io.out(`\nwho can change access in one step (${report.changers.length}):\n`);
    for (const c of report.changers)
      io.out(
        `  ${c.principal}${c.tenants.length ? ` (tenant ${c.tenants.join(', ')})` : ''}: ${c.actions.join(', ')}\n`,
      );
    io.out(
      `  account root users, and administrators outside the artifacts: everything the artifacts do not deny\n`,
    );
    io.out(`\nwho else runs workloads in tenant namespaces (${report.runners.length}):\n`);
    for (const r of report.runners)
      io.out(
        `  ${r.cluster} ${r.namespace} (tenant ${r.tenant}): ${r.principal}${r.federation ? `, manager of federation ${r.federation}` : ''}${r.declared ? ', declared' : ', NOT declared'}\n`,
      );
  }
  return report.differences.length ? 1 : 0;
}
