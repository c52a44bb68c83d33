/**
 * What `genesis tenant plan` shows a partner about the sites it hosts in its own AWS account: the
 * `Partner-<site>` stack it deploys there (every resource, as synthesized), and what the platform
 * holds for it on the manager's side (the MultiKueue controller's role, allowed sts:AssumeRole on
 * the partner's worker role, and its Pod Identity association; the transit gateway that carries the
 * manager's calls to the site, shared with the partner's account). Read from the synthesized
 * templates, not guessed from the spec.
 */
import { partnerStackName, siteStackName } from '../../infra/contract/names';
import type { Platform } from '../../infra/model';
import { constructId } from '../../constructs/aws/ids';
import type { AwsPlacement } from '../../stacks/aws/placement';

/** One resource of a synthesized template. */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
}

export interface ContributedSite {
  readonly site: string;
  readonly account: string;
  readonly region: string;
  /** The stack the partner deploys in its account. */
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  /** Per manager: the platform's site stack and what it holds for the partner's workers. */
  readonly managers: ReadonlyArray<{
    readonly cluster: string;
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
  }>;
}

type Templates = ReadonlyMap<string, ReadonlyMap<string, { type: string; name: string; body: unknown }>>;

const pathOf = (body: unknown): string => {
  const meta = (body as { Metadata?: Record<string, unknown> } | undefined)?.Metadata;
  return typeof meta?.['aws:cdk:path'] === 'string' ? meta['aws:cdk:path'] : '';
};

/** The AWS-hosted partner sites `tenantId` contributes, as the synthesized `templates` hold them. */
export function contributedSites(
  platform: Platform,
  placement: AwsPlacement,
  templates: Templates,
  tenantId: string,
): ContributedSite[] {
  const clusterOf = new Map(platform.clusters.map((c) => [c.id, c]));
  return placement.partners
    .filter((p) => p.site.partner === tenantId)
    .map((p) => {
      const stack = partnerStackName(p.site.id);
      const resources = [...(templates.get(stack)?.values() ?? [])].map(({ type, name }) => ({ type, name }));
      const managerIds = [
        ...new Set(
          p.access.map((a) => platform.federations.find((f) => f.id === a.federation)?.manager ?? ''),
        ),
      ]
        .filter((m) => m !== '')
        .sort();
      const managers = managerIds.map((cluster) => {
        const siteStack = siteStackName(clusterOf.get(cluster)?.site ?? '');
        const markers = [
          `/Cluster${constructId(cluster)}/Eks/MultiKueueManager/`,
          `/Enclave${constructId(clusterOf.get(cluster)?.enclave ?? '')}/FederationTransit${constructId(p.site.id)}/`,
        ];
        return {
          cluster,
          stack: siteStack,
          resources: [...(templates.get(siteStack)?.values() ?? [])]
            .filter((r) => markers.some((m) => pathOf(r.body).includes(m)))
            .map(({ type, name }) => ({ type, name })),
        };
      });
      return { site: p.site.id, account: p.host.account, region: p.host.region, stack, resources, managers };
    });
}

export function renderContributed(sites: readonly ContributedSite[]): string[] {
  if (sites.length === 0) return [];
  const lines = ['Sites you host in your own AWS account'];
  for (const s of sites) {
    lines.push(
      `  ${s.site}: stack ${s.stack}, in account ${s.account} (${s.region}): ${s.resources.length} resources`,
    );
    const width = Math.max(...s.resources.map((r) => r.type.length));
    const counts = new Map<string, number>();
    for (const r of s.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    for (const [type, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1)))
      lines.push(`    ${type.padEnd(width)}  ${n}`);
    for (const m of s.managers) {
      lines.push(`  on the manager ${m.cluster} (stack ${m.stack}, the platform's account):`);
      const w = Math.max(...m.resources.map((r) => r.type.length));
      for (const r of m.resources) lines.push(`    ${r.type.padEnd(w)}  ${r.name}`);
    }
  }
  return [...lines, ''];
}
