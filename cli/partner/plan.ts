/**
 * `genesis tenant plan`: what a tenant spec would change on each target. Both targets are
 * synthesized twice, without and with the tenant's spec, and the artifacts compared, so the plan
 * shows real artifacts (including changes to shared stacks and cluster-wide objects, such as a
 * dataset key policy or a ClusterQueue), not a list guessed from the spec.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { synthK8s } from '../../stacks/k8s/synth';
import { synthAws } from '../../stacks/aws/app';
import { startValidatorThread } from '../../stacks/aws/cfn-validation';
import { placeOnAws } from '../../stacks/aws/placement';
import { partnerStackName, siteStackName, tenantStackName } from '../../infra/contract/names';
import type { Platform } from '../../infra/model';
import { changeLine, diffOutputs, type DiffResult, type SectionResult } from '../../policies/diff';
import { writtenDocuments, type ParsedManifests } from '../../policies/engine/load';
import { formatBytes } from '../../infra/model';
import { quotaUsage, storageUsage } from './usage-table';
import { contributedSites, renderContributed, type ContributedSite } from './contributed';

export type ChangeKind = 'add' | 'remove' | 'change';

export interface Change {
  readonly change: ChangeKind;
  /** CloudFormation resource type, or Kubernetes apiVersion/kind. */
  readonly type: string;
  /** Logical id, or namespace/name. */
  readonly name: string;
}

export interface ArtifactChanges {
  /** Stack name, or manifest file relative to the k8s folder. */
  readonly artifact: string;
  readonly status: 'new' | 'removed' | 'changed';
  readonly changes: readonly Change[];
}

export interface QuotaRow {
  readonly cluster: string;
  readonly pool: string;
  readonly units: string;
  readonly capacity: number;
  readonly others: number;
  readonly tenant: number;
  readonly free: number;
}

export interface StorageRow {
  readonly tier: string;
  readonly site: string;
  readonly capacity: string;
  readonly others: string;
  readonly tenant: string;
  readonly free: string;
}

export interface TenantPlan {
  readonly tenant: string;
  readonly aws: readonly ArtifactChanges[];
  readonly k8s: readonly ArtifactChanges[];
  /** Pools where the tenant holds quota, or whose holdings the plan changes. */
  readonly quota: readonly QuotaRow[];
  /** Storage tiers where the tenant holds quota, or whose holdings the plan changes. */
  readonly storage: readonly StorageRow[];
  /**
   * The same changes as \`genesis diff\` words them: sections access to protection, each change
   * classified with its witness, property by property. Empty sections are left out.
   */
  readonly security: { readonly summary: DiffResult['summary']; readonly sections: readonly SectionResult[] };
  /**
   * Partner sites the tenant hosts in its own AWS account: the Partner-<site> stack it deploys
   * there and what the manager's site stack holds for it.
   */
  readonly contributed: readonly ContributedSite[];
}

type Items = Map<string, { type: string; name: string; body: unknown }>;

/**
 * What the plan synthesizes: every stack and file, or (`tenant`) only what a tenant's spec can
 * change: the site stacks, the tenant's own stack, the cluster-wide files and the tenant's own
 * files. Other tenants' stacks and files are built from their own specs alone, so they cannot
 * change (test/cli/tenant-plan-selective.test.ts compares both ways).
 */
export type PlanScope = { readonly tenant: string } | 'everything';

function awsStacksFor(platform: Platform, scope: PlanScope): string[] | undefined {
  if (scope === 'everything') return undefined;
  const placement = placeOnAws(platform);
  const own = placement.tenants.some((t) => t.tenant.id === scope.tenant && t.clusters.length > 0)
    ? [tenantStackName(scope.tenant)]
    : [];
  const hosted = placement.partners
    .filter((p) => p.site.partner === scope.tenant)
    .map((p) => partnerStackName(p.site.id));
  return [...placement.sites.map((s) => siteStackName(s.site.id)), ...own, ...hosted];
}

/**
 * The CloudFormation validator reads the side with the tenant's spec (in a thread started with the
 * plan): every template the plan builds there that is not byte for byte the same on the side
 * without it (`before`), the platform as it stands, validated by its own synthesis.
 */
function awsArtifacts(
  platform: Platform,
  dir: string,
  scope: PlanScope,
  before?: string,
): Map<string, Items> {
  synthAws(platform, dir, {
    stacks: awsStacksFor(platform, scope),
    ...(before === undefined
      ? { validate: new Set<string>() }
      : { validatorThread: true, validatedIn: before }),
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const out = new Map<string, Items>();
  for (const [name, a] of Object.entries(manifest.artifacts)) {
    if (a.type !== 'aws:cloudformation:stack' || !a.properties?.templateFile) continue;
    const template = JSON.parse(fs.readFileSync(path.join(dir, a.properties.templateFile), 'utf8')) as {
      Resources?: Record<string, { Type: string }>;
    };
    const items: Items = new Map();
    for (const [id, r] of Object.entries(template.Resources ?? {}))
      items.set(id, { type: r.Type, name: id, body: r });
    out.set(name, items);
  }
  return out;
}

/**
 * Each file's objects as synthesis writes them (the YAML is not read back), and into `written`
 * their documents for the security diff's reading of the side.
 */
function k8sArtifacts(
  platform: Platform,
  dir: string,
  scope: PlanScope,
  yamlOf: Map<string, string>,
  written: ParsedManifests,
): Map<string, Items> {
  const out = new Map<string, Items>();
  synthK8s(platform, dir, {}, scope === 'everything' ? {} : { tenant: (t) => t === scope.tenant }, {
    yamlOf,
    received: (file, objects, text, plain) => {
      const documents = writtenDocuments(text, `k8s/${file}`, objects, plain);
      if (documents) written.set(`k8s/${file}`, { text, documents });
      const items: Items = new Map();
      for (const o of objects as {
        apiVersion: string;
        kind: string;
        metadata: { name: string; namespace?: string };
      }[]) {
        const name = o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
        items.set(`${o.apiVersion}/${o.kind}/${name}`, { type: `${o.apiVersion} ${o.kind}`, name, body: o });
      }
      out.set(file, items);
    },
  });
  return out;
}

function compare(before: Map<string, Items>, after: Map<string, Items>): ArtifactChanges[] {
  const result: ArtifactChanges[] = [];
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const artifact of names) {
    const b = before.get(artifact) ?? new Map();
    const a = after.get(artifact) ?? new Map();
    const changes: Change[] = [];
    for (const key of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      const x = b.get(key);
      const y = a.get(key);
      if (x && !y) changes.push({ change: 'remove', type: x.type, name: x.name });
      else if (!x && y) changes.push({ change: 'add', type: y.type, name: y.name });
      else if (x && y && !isDeepStrictEqual(x.body, y.body))
        changes.push({ change: 'change', type: y.type, name: y.name });
    }
    if (changes.length === 0) continue;
    const status = !before.has(artifact) ? 'new' : !after.has(artifact) ? 'removed' : 'changed';
    result.push({ artifact, status, changes });
  }
  return result;
}

export function planTenant(
  before: Platform,
  after: Platform,
  tenantId: string,
  scope: PlanScope = { tenant: tenantId },
  now?: string,
): TenantPlan {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-plan-'));
  startValidatorThread();
  try {
    const awsBefore = awsArtifacts(before, path.join(work, 'before', 'aws'), scope);
    const awsAfter = awsArtifacts(
      after,
      path.join(work, 'after', 'aws'),
      scope,
      path.join(work, 'before', 'aws'),
    );
    const aws = compare(awsBefore, awsAfter);
    const contributed = contributedSites(after, placeOnAws(after), awsAfter, tenantId);
    const yamlOf = new Map<string, string>();
    const written = { before: new Map(), after: new Map() } as const;
    const k8s = compare(
      k8sArtifacts(before, path.join(work, 'before', 'k8s'), scope, yamlOf, written.before),
      k8sArtifacts(after, path.join(work, 'after', 'k8s'), scope, yamlOf, written.after),
    );
    const diff = diffOutputs(path.join(work, 'before'), path.join(work, 'after'), {
      base: { now, written: written.before },
      head: { now, written: written.after },
    });
    const security = {
      summary: diff.summary,
      sections: diff.sections.filter((x) => x.id !== 'resources' && x.changes.length > 0),
    };
    const heldBefore = new Map(quotaUsage(before).map((u) => [`${u.cluster}/${u.pool}`, u.held]));
    const quota = quotaUsage(after)
      .filter(
        (u) =>
          u.held[tenantId] !== undefined ||
          !isDeepStrictEqual(u.held, heldBefore.get(`${u.cluster}/${u.pool}`)),
      )
      .map((u) => {
        const tenant = u.held[tenantId] ?? 0;
        const total = Object.values(u.held).reduce((s, n) => s + n, 0);
        return {
          cluster: u.cluster,
          pool: u.pool,
          units: u.describe,
          capacity: u.capacity,
          others: total - tenant,
          tenant,
          free: u.free,
        };
      });
    const storageBefore = new Map(storageUsage(before).map((u) => [`${u.tier}@${u.site}`, u.held]));
    const storage = storageUsage(after)
      .filter(
        (u) =>
          u.held[tenantId] !== undefined ||
          !isDeepStrictEqual(u.held, storageBefore.get(`${u.tier}@${u.site}`)),
      )
      .map((u) => {
        const tenant = u.held[tenantId] ?? 0n;
        const total = Object.values(u.held).reduce((a, b) => a + b, 0n);
        return {
          tier: u.tier,
          site: u.site,
          capacity: formatBytes(u.capacity),
          others: formatBytes(total - tenant),
          tenant: formatBytes(tenant),
          free: formatBytes(u.free),
        };
      });
    return { tenant: tenantId, aws, k8s, quota, storage, security, contributed };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const SIGN: Record<ChangeKind, string> = { add: '+', remove: '-', change: '~' };

function renderChanges(title: string, list: readonly ArtifactChanges[]): string[] {
  const lines = [title];
  if (list.length === 0) lines.push('  no changes');
  for (const a of list) {
    const counts = (['add', 'change', 'remove'] as const)
      .map((k) => [k, a.changes.filter((c) => c.change === k).length] as const)
      .filter(([, n]) => n > 0);
    lines.push(`  ${a.artifact} (${a.status}: ${counts.map(([k, n]) => `${n} to ${k}`).join(', ')})`);
    const width = Math.max(...a.changes.map((c) => c.type.length));
    for (const c of a.changes) lines.push(`    ${SIGN[c.change]} ${c.type.padEnd(width)}  ${c.name}`);
  }
  return lines;
}

export function renderPlan(plan: TenantPlan): string {
  const lines = [`Plan for tenant ${plan.tenant}`, ''];
  lines.push(...renderChanges('AWS (CloudFormation stacks)', plan.aws), '');
  lines.push(...renderChanges('Kubernetes (manifests under k8s/<site>/<cluster>/)', plan.k8s), '');
  lines.push(...renderContributed(plan.contributed));
  const sum = plan.security.summary;
  lines.push(
    `What changes in access, privilege, quota and protection (as genesis diff words it): ${sum.broadening} broadening, ${sum.narrowing} narrowing, ${sum.neutral} neutral`,
  );
  if (plan.security.sections.length === 0) lines.push('  nothing');
  for (const sec of plan.security.sections)
    lines.push(`  ${sec.title}`, ...sec.changes.map((c) => `  ${changeLine(c)}`));
  lines.push('');
  lines.push('GPU quota after this tenant (nominal units)');
  if (plan.quota.length === 0) lines.push('  the tenant asks for no GPU quota');
  else {
    lines.push(
      ...table(
        [
          ['cluster/pool', 'units', 'capacity', 'others', 'this tenant', 'free'],
          ...plan.quota.map((q) => [
            `${q.cluster}/${q.pool}`,
            q.units,
            String(q.capacity),
            String(q.others),
            String(q.tenant),
            String(q.free),
          ]),
        ],
        2,
      ),
    );
  }
  lines.push('', 'Storage quota after this tenant (on its home site)');
  if (plan.storage.length === 0) lines.push('  the tenant asks for no storage quota');
  else
    lines.push(
      ...table(
        [
          ['tier@site', 'capacity', 'others', 'this tenant', 'free'],
          ...plan.storage.map((r) => [`${r.tier}@${r.site}`, r.capacity, r.others, r.tenant, r.free]),
        ],
        1,
      ),
    );
  return `${lines.join('\n')}\n`;
}

/** Left-aligned text columns before `firstNumeric`, right-aligned numbers from it. */
function table(rows: string[][], firstNumeric: number): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(
    (r) =>
      `  ${r.map((c, i) => (i >= firstNumeric ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')}`,
  );
}
