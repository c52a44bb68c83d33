/**
 * Selective synthesis: which stacks of the AWS app to build when only some are asked for.
 *
 * `cdk synth Tenant-x` alone still runs the whole app (the CDK CLI selects stacks from the
 * finished cloud assembly), so at a thousand tenants a partner waits for every stack. With
 * `-c stacks=Tenant-x` (or `buildAwsApp(platform, { stacks: ['Tenant-x'] })`) the app builds only
 * the named stacks and the stacks they depend on: a tenant stack depends on the site stack of its
 * home site, a site stack and a partner stack (`Partner-<site>`, in the partner's account) on
 * nothing. Each stack is built from its own placement, which does not
 * depend on which other stacks are built, so a selected stack's template has the same bytes as in
 * a full synthesis (test/aws/select.test.ts).
 */
import { partnerStackName, siteStackName, tenantStackName } from '../../infra/contract/names';
import type { AwsPlacement } from './placement';

/** A selection that names no stack of the app: the problems, one per pattern. */
export class StackSelectionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'StackSelectionError';
  }
}

/** Stack names or patterns (`*` matches any run of characters), comma or space separated. */
export function parseStackList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const patternOf = (p: string): RegExp =>
  new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** What a selection builds: the stacks it names, and those with the stacks they depend on. */
export interface StackSelection {
  /** Every stack a pattern matches. */
  readonly named: ReadonlySet<string>;
  /** The named stacks and the site stack of each named tenant stack. */
  readonly build: ReadonlySet<string>;
}

/**
 * The stacks to build for `patterns`: every stack a pattern matches, and the site stack of each
 * selected tenant stack. Throws StackSelectionError for a pattern matching nothing.
 */
export function selectStacks(placement: AwsPlacement, patterns: readonly string[]): StackSelection {
  const siteOfTenantStack = new Map(
    placement.tenants
      .filter((t) => t.clusters.length > 0)
      .map((t) => [tenantStackName(t.tenant.id), siteStackName(t.site.id)]),
  );
  const all = [
    ...placement.sites.map((s) => siteStackName(s.site.id)),
    ...siteOfTenantStack.keys(),
    ...placement.partners.map((p) => partnerStackName(p.site.id)),
  ];
  const named = new Set<string>();
  const build = new Set<string>();
  const problems: string[] = [];
  for (const p of patterns) {
    const re = patternOf(p);
    const matched = all.filter((name) => re.test(name));
    if (matched.length === 0)
      problems.push(
        `"${p}" names no stack of the app (stacks are Site-<site>, Tenant-<tenant> of tenants homed on an AWS site with a cluster, and Partner-<site> of partner sites hosted on AWS)`,
      );
    for (const name of matched) {
      named.add(name);
      build.add(name);
      const site = siteOfTenantStack.get(name);
      if (site) build.add(site);
    }
  }
  if (problems.length > 0) throw new StackSelectionError(problems);
  return { named, build };
}
