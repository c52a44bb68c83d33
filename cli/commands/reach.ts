/** `genesis reach`: the effective reachability of synthesized artifacts, held to platform.json. */
import { stableJson } from '../../infra/util/stable-json';
import { InputError, loadArtifacts } from '../../policies';
import { reachReport, type Cell, type ReachReport } from '../../policies/analysis/reach/report';
import { EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, parseOptions, type Io } from '../usage';

export const HELP = `genesis reach [DIR] [--from X] [--to Y] [--json]

Computes from the artifacts in DIR (default: dist/) what can reach what: enclave x enclave and
enclave -> internet and DNS on AWS (routes, NAT gateways, peering, network ACLs, security groups,
network and DNS firewalls), and in each cluster tenant namespace x tenant namespace and tenant ->
DNS, API server, metadata address, node ports, storage endpoints and internet (NetworkPolicy,
ClusterNetworkPolicy tiers, Cilium policies), each opening with its witness; then compares it
with DIR/platform.json.
  --from X   only openings from X (an enclave, a tenant namespace or tenant id, a cluster)
  --to Y     only openings to Y (an enclave, internet, dns, a namespace, a cluster service)
  --json     print the report as JSON (the same as report/reachability.json, filtered)
Exit codes: 0 intent = effect, 1 differences from intent, 2 unreadable input.`;

const matches = (value: string, filter: string | undefined): boolean => {
  if (filter === undefined) return true;
  const parts = value.split('/');
  return (
    value === filter ||
    parts[parts.length - 1] === filter ||
    parts.slice(0, 2).join('/') === filter ||
    value === `tenant-${filter}` ||
    parts[parts.length - 1] === `tenant-${filter}`
  );
};

function filtered(r: ReachReport, from?: string, to?: string): ReachReport {
  const cell = (c: Cell) => matches(c.from, from) && matches(c.to, to);
  return {
    ...r,
    enclaveMatrix: r.enclaveMatrix.filter(cell),
    clusters: r.clusters
      .map((c) => ({
        ...c,
        matrix: c.matrix.filter((x) => matches(`${c.cluster}/${x.from}`, from) && matches(x.to, to)),
      }))
      .filter((c) => c.matrix.length > 0),
    openings: r.openings.filter((o) => matches(o.from, from) && matches(o.to, to)),
    federationPaths: r.federationPaths.filter((p) => matches(p.from, from) && matches(p.to, to)),
  };
}

const line = (c: Cell): string =>
  `  ${c.from} -> ${c.to}: ${c.reach === 'open' ? (c.declared === false ? 'OPEN (not declared)' : 'open') : c.reach}${c.reach !== 'self' && c.summary !== 'no path' ? ` (${c.summary})` : ''}\n`;

function text(r: ReachReport, io: Io): void {
  io.out(`Enclaves (intent: ${r.intent ?? 'none'}):\n`);
  for (const c of r.enclaveMatrix) if (c.reach !== 'self') io.out(line(c));
  for (const cl of r.clusters) {
    io.out(`Cluster ${cl.cluster} (enclave ${cl.enclave ?? '?'}, ${cl.engine}):\n`);
    for (const c of cl.matrix) io.out(line(c));
  }
  if (r.federationPaths.length)
    io.out('Federation paths (declared: each worker API endpoint, nothing else):\n');
  for (const p of r.federationPaths)
    io.out(
      `  ${p.federation}: ${p.from} -> ${p.to} ${p.endpoint} (${p.manager} -> ${p.worker}): AWS ${p.aws}, cluster ${p.cluster}${p.differences ? `, ${p.differences} difference${p.differences === 1 ? '' : 's'}` : ', as declared'}\n${[...p.awsWitness, ...p.clusterWitness].map((w) => `      ${w}\n`).join('')}`,
    );
  const opened = r.openings;
  if (opened.length) io.out(`Openings and their witnesses:\n`);
  for (const o of opened)
    io.out(
      `  ${o.from} -> ${o.to}: ${o.what}\n${o.witness.map((w) => `      ${w.text}${w.resource ? `  [${w.resource}]` : ''}\n`).join('')}`,
    );
  io.out(
    `${r.summary.differences} difference${r.summary.differences === 1 ? '' : 's'} from intent, ${r.summary.undecided} undecided\n`,
  );
  for (const d of r.differences)
    io.out(`  ${d.status === 'fail' ? 'error' : 'undecided'} ${d.resource} (${d.file}): ${d.message}\n`);
}

export function run(args: string[], io: Io): number {
  const { values, positionals } = parseOptions(
    args,
    { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  const dir = positionals[0] ?? 'dist';
  let report: ReachReport;
  try {
    const artifacts = loadArtifacts(dir);
    if (!artifacts.aws && !artifacts.k8s)
      throw new InputError(dir, 'holds neither aws/ nor k8s/: nothing to analyse');
    report = reachReport(artifacts);
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`genesis reach: unreadable input: ${e.message}\n`);
      return EXIT_INVALID;
    }
    throw e;
  }
  const shown = filtered(report, values.from, values.to);
  io.result?.(shown);
  if (values.json) io.out(stableJson(shown));
  else text(shown, io);
  return report.summary.differences > 0 ? EXIT_FINDINGS : EXIT_OK;
}
