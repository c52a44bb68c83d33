/**
 * The reachability report: the enclave matrix (enclave x enclave, enclave -> internet and DNS),
 * the tenant matrix of each cluster, every opening with its witness, and the differences from
 * intent. Plain data, sorted, no timestamps: `report/reachability.json`, `genesis reach --json`.
 */
import { firstBy, groupBy } from '../../engine/memo';
import { locate } from '../../engine/run';
import type { ArtifactSet } from '../../engine/types';
import { analyzeReach, type ReachAnalysis } from './index';
import { federationPathDifferences } from './federation-path';
import { federationPathViews, type FederationPathView } from './federation-report';
import { mayReach } from './intent';
import { SERVICES } from './k8s-reach';
import type { Opening } from './types';

export interface OpeningView {
  readonly from: string;
  readonly to: string;
  readonly what: string;
  /** The DNS names that pass, in full (an allow-list's), when the opening is by name. */
  readonly names?: readonly string[];
  /** The addresses that pass, in full, as the fewest CIDRs. */
  readonly cidrs?: readonly string[];
  readonly status: string;
  readonly witness: ReadonlyArray<{
    readonly text: string;
    readonly resource?: string;
    readonly file?: string;
  }>;
}
export interface Cell {
  readonly from: string;
  readonly to: string;
  /** `open` (some path), `closed` (none found), `self`, or `not judged` (no artifact decides it). */
  readonly reach: 'open' | 'closed' | 'self' | 'not judged';
  /** Whether intent lets `from` reach `to` (undefined where intent says nothing). */
  readonly declared?: boolean;
  readonly summary: string;
}
export interface ReachReport {
  readonly intent: string | null;
  readonly enclaves: readonly string[];
  readonly enclaveMatrix: readonly Cell[];
  readonly clusters: ReadonlyArray<{
    readonly cluster: string;
    readonly enclave: string | null;
    readonly engine: string;
    readonly tenants: readonly string[];
    readonly matrix: readonly Cell[];
  }>;
  readonly openings: readonly OpeningView[];
  /** The declared federation paths (a worker's API endpoint), as reached on AWS and in the manager's cluster. */
  readonly federationPaths: readonly FederationPathView[];
  readonly differences: ReadonlyArray<{
    readonly target: string;
    readonly status: string;
    readonly resource: string;
    readonly file: string;
    readonly message: string;
  }>;
  readonly summary: { readonly differences: number; readonly undecided: number; readonly openings: number };
}

const view = (o: Opening): OpeningView => ({
  from: o.from,
  to: o.to,
  what: o.what,
  ...(o.names?.length ? { names: [...o.names].sort() } : {}),
  ...(o.cidrs && !o.cidrs.isEmpty() ? { cidrs: o.cidrs.toCidrs() } : {}),
  status: o.status,
  witness: o.witness.map((w) => {
    const loc = w.ref ? locate(w.ref) : undefined;
    return { text: w.text, ...(loc ? { resource: loc.resourceKey, file: loc.file } : {}) };
  }),
});

/** An enclave without a VPC: its clusters' tenant policies are the fence toward another enclave. */
function fromClusters(a: ReachAnalysis, from: string, to: string, declared: boolean | undefined): Cell {
  const os = a.k8s
    .filter((c) => c.enclave === from)
    .flatMap((c) => c.openings.filter((o) => o.to === `enclave:${to}`).map((o) => `${o.from} ${o.what}`));
  return {
    from,
    to,
    reach: os.length ? 'open' : 'closed',
    declared,
    summary: os.length ? os.join('; ') : 'no path from its tenants (cluster policies)',
  };
}

/** The AWS services (endpoints) and names (resolver) an enclave VPC reaches. */
function awsCells(a: ReachAnalysis, from: string): Cell[] {
  const cells: Cell[] = [];
  const vpc = a.aws?.net.vpcs.find((v) => v.enclave === from);
  const endpoints = vpc
    ? (a.aws?.net.ofType('AWS::EC2::VPCEndpoint') ?? []).filter(
        (e) => a.aws?.net.vpcOf(e.props.VpcId) === vpc,
      )
    : [];
  const svc = (e: (typeof endpoints)[number]) =>
    `${String(e.props.ServiceName).replace(/^com\.amazonaws\.[^.]+\./, '')}${e.props.PolicyDocument === undefined ? ' (no policy: full access)' : ''}`;
  cells.push({
    from,
    to: 'aws endpoints',
    reach: vpc ? (endpoints.length ? 'open' : 'closed') : 'not judged',
    summary: vpc
      ? endpoints.length
        ? [...new Set(endpoints.map(svc))].sort().join(', ')
        : 'none'
      : 'no VPC in the assembly',
  });
  const dns = a.aws?.dns.get(from);
  cells.push({
    from,
    to: 'dns',
    reach: dns ? 'open' : 'not judged',
    summary: dns ? dns.names.join(', ') : 'no VPC resolver in the assembly',
  });
  return cells;
}

function enclaveCells(a: ReachAnalysis): { enclaves: string[]; cells: Cell[] } {
  const vpcEnclaves = new Set((a.aws?.net.vpcs ?? []).map((v) => v.enclave));
  const enclaves = [...new Set([...(a.intent?.enclaves ?? []).map((e) => e.id), ...vpcEnclaves])].sort();
  const byId = new Map((a.intent?.enclaves ?? []).map((e) => [e.id, e]));
  const aws = a.aws?.openings ?? [];
  const clusterInternet = a.k8s.flatMap((c) =>
    c.openings.filter((o) => o.to === 'internet').map((o) => ({ ...o, from: c.enclave ?? '' })),
  );
  const cells: Cell[] = [];
  for (const from of enclaves) {
    for (const to of enclaves) {
      const f = byId.get(from);
      const t = byId.get(to);
      const declared = f && t ? mayReach(f, t) : undefined;
      if (from === to) cells.push({ from, to, reach: 'self', declared: true, summary: 'self' });
      else if (!vpcEnclaves.has(from) && a.k8s.some((c) => c.enclave === from))
        cells.push(fromClusters(a, from, to, declared));
      else if (!vpcEnclaves.has(from) || (!vpcEnclaves.has(to) && !a.aws?.routed.has(`${from}|${to}`)))
        cells.push({ from, to, reach: 'not judged', declared, summary: 'no VPC path in the assembly' });
      else {
        const os = aws.filter((o) => o.from === from && o.to === to);
        const routed = a.aws?.routed.has(`${from}|${to}`)
          ? vpcEnclaves.has(to)
            ? 'routed, but no security group of the destination admits it (or, through a transit gateway, the reply has no route back or the source lets nothing out)'
            : 'routed through a VPN, but no security group lets it out'
          : 'no path';
        cells.push({
          from,
          to,
          reach: os.length ? 'open' : 'closed',
          declared,
          summary: os.length ? [...new Set(os.map((o) => o.what))].sort().join('; ') : routed,
        });
      }
    }
    const f = byId.get(from);
    const out = vpcEnclaves.has(from)
      ? aws.filter((o) => o.from === from && o.to === 'internet')
      : clusterInternet.filter((o) => o.from === from);
    const names = [...new Set(out.flatMap((o) => o.names ?? []))].sort();
    const cidrs = [
      ...new Set(out.flatMap((o) => (o.cidrs && !o.cidrs.isEmpty() ? [o.cidrs.toString()] : []))),
    ];
    const summary = out.length
      ? [
          names.length ? `names ${names.join(', ')}` : '',
          cidrs.length ? `addresses ${cidrs.join('; ')}` : '',
          !names.length && !cidrs.length ? [...new Set(out.map((o) => o.what))].join('; ') : '',
        ]
          .filter(Boolean)
          .join('; ')
      : 'no path';
    cells.push({
      from,
      to: 'internet',
      reach: out.length ? 'open' : 'closed',
      declared: f ? f.egress.mode === 'allow-list' : undefined,
      summary,
    });
    cells.push(...awsCells(a, from));
  }
  return { enclaves, cells };
}

export function reachReport(artifacts: ArtifactSet): ReachReport {
  const a = analyzeReach(artifacts);
  const { enclaves, cells } = enclaveCells(a);
  const clusters = a.k8s.map((c) => {
    const matrix: Cell[] = [];
    // each tenant's openings, in order: a tenant reads its own, not the cluster's
    const byFrom = groupBy(c.openings, (o) => o.from);
    const tenantNs = new Set(c.tenants.map((t) => t.ns));
    for (const t of c.tenants) {
      const own = byFrom.get(t.ns) ?? [];
      const others = own.filter((o) => tenantNs.has(o.to));
      matrix.push({
        from: t.ns,
        to: 'other tenants',
        reach: others.length ? 'open' : 'closed',
        declared: false,
        summary: others.length ? others.map((o) => `${o.to} (${o.what})`).join('; ') : 'none',
      });
      for (const s of SERVICES) {
        const o = own.find((x) => x.to === s);
        matrix.push({ from: t.ns, to: s, reach: o ? 'open' : 'closed', summary: o ? o.what : 'no path' });
      }
    }
    return {
      cluster: c.cluster,
      enclave: c.enclave ?? null,
      engine: c.cilium ? 'cilium' : 'networkpolicy+clusternetworkpolicy',
      tenants: c.tenants.map((t) => t.ns),
      matrix,
    };
  });
  const openings = [
    ...(a.aws?.openings ?? []),
    ...a.k8s.flatMap((c) => {
      const tenantNs = new Set(c.tenants.map((t) => t.ns));
      return c.openings.map((o) => ({
        ...o,
        from: `${c.cluster}/${o.from}`,
        to: tenantNs.has(o.to) ? `${c.cluster}/${o.to}` : o.to,
      }));
    }),
  ].map(view);
  const federation = federationPathDifferences(a);
  const differences = [...a.differences, ...federation]
    .map((d) => {
      const loc = locate(d.resource);
      return {
        target: d.target,
        status: d.status,
        resource: loc.resourceKey,
        file: loc.file,
        message: d.message,
      };
    })
    .sort((x, y) => (x.resource + x.message < y.resource + y.message ? -1 : 1));
  return {
    intent: a.intent?.file ?? null,
    enclaves,
    enclaveMatrix: cells,
    clusters,
    openings,
    federationPaths: federationPathViews(a, federation),
    differences,
    summary: {
      differences: differences.filter((d) => d.status === 'fail').length,
      undecided: differences.filter((d) => d.status === 'unknown').length,
      openings: openings.length,
    },
  };
}

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const mark = (c: Cell): string => {
  if (c.reach === 'self') return '-';
  if (c.reach === 'not judged') return `not judged (${c.summary})`;
  if (c.reach === 'closed') return c.summary;
  return c.declared === false ? `**OPEN, not declared**: ${c.summary}` : `open: ${c.summary}`;
};

/** The Markdown section of report.md: the enclave matrix, then each cluster's tenant matrix. */
export function reachMarkdown(r: ReachReport): string[] {
  const lines = [
    '## Reachability',
    '',
    `Intent (\`${r.intent ?? 'none'}\`) = effect: **${r.summary.differences} difference${r.summary.differences === 1 ? '' : 's'}**, ${r.summary.undecided} undecided (details: \`report/reachability.json\`).`,
    '',
  ];
  const cols = [...r.enclaves, 'internet', 'dns', 'aws endpoints'];
  lines.push(`| from \\ to | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`);
  // the first cell of each row and column, as a search finds it
  const cellOf = (cells: readonly Cell[]) => firstBy(cells, (c) => JSON.stringify([c.from, c.to]));
  const enclaveCell = cellOf(r.enclaveMatrix);
  for (const from of r.enclaves)
    lines.push(
      `| ${from} | ${cols.map((to) => esc(mark(enclaveCell.get(JSON.stringify([from, to])) as Cell))).join(' | ')} |`,
    );
  for (const c of r.clusters) {
    lines.push('', `### Cluster ${c.cluster} (enclave ${c.enclave ?? '?'}, ${c.engine})`, '');
    const tcols = ['other tenants', ...SERVICES];
    lines.push(`| tenant | ${tcols.join(' | ')} |`, `|---|${tcols.map(() => '---').join('|')}|`);
    const tenantCell = cellOf(c.matrix);
    for (const t of c.tenants)
      lines.push(
        `| ${t} | ${tcols.map((to) => esc(mark(tenantCell.get(JSON.stringify([t, to])) as Cell))).join(' | ')} |`,
      );
  }
  if (r.differences.length) {
    lines.push('', '### Differences from intent', '');
    for (const d of r.differences)
      lines.push(
        `- ${d.status === 'fail' ? 'ERROR' : 'UNDECIDED'} \`${d.resource}\` (${d.file}): ${esc(d.message)}`,
      );
  }
  return [...lines, ''];
}
