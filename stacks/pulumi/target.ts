/**
 * What a stack deploys, resolved against the loaded platform: the cluster, and in tenant mode the
 * tenant. Every way the configuration can name something the spec does not have is reported here,
 * with the ids that would have been valid, before any resource exists.
 */
import { loadPlatform, SpecError, type Cluster, type Platform, type Tenant } from '../../infra/model';
import { CONFIG_NAMESPACE, StackConfigError, type AwsStorageConfig, type Settings } from './settings';
import { countOf, ProblemsError } from '../../infra/util/problems';

export interface BaselineTarget {
  readonly mode: 'baseline';
  readonly platform: Platform;
  readonly cluster: Cluster;
}

export interface TenantTarget {
  readonly mode: 'tenant';
  readonly platform: Platform;
  readonly cluster: Cluster;
  readonly tenant: Tenant;
}

export type Target = BaselineTarget | TenantTarget;

const list = (ids: readonly string[]): string => (ids.length === 0 ? '(none)' : ids.join(', '));

/** Thrown when the platform spec (or a partner tenant file) is invalid. */
export class InvalidSpecError extends ProblemsError {
  constructor(problems: SpecError['problems']) {
    super(`the platform spec is invalid (${countOf(problems.length, 'problem')})`, problems, '  ');
    this.name = 'InvalidSpecError';
  }
}

/** Loads the platform named by the settings; spec problems become one formatted error. */
export function loadTargetPlatform(settings: Settings): Platform {
  try {
    return loadPlatform({
      ...(settings.spec !== undefined ? { spec: settings.spec } : {}),
      ...(settings.tenantsDir !== undefined ? { tenantsDir: settings.tenantsDir } : {}),
      ...(settings.now !== undefined ? { now: settings.now } : {}),
    }).platform;
  } catch (e) {
    if (e instanceof SpecError) throw new InvalidSpecError(e.problems);
    throw e;
  }
}

/** Resolves the cluster (and tenant) of the settings in a validated platform. */
export function selectTarget(settings: Settings, platform: Platform): Target {
  const cluster = platform.clusters.find((c) => c.id === settings.cluster);
  if (!cluster) {
    throw new StackConfigError([
      `${CONFIG_NAMESPACE}:cluster "${settings.cluster}" is not a cluster of platform "${platform.metadata.name}" (known clusters: ${list(platform.clusters.map((c) => c.id).sort())})`,
    ]);
  }
  if (settings.awsStorage) checkAwsStorage(settings.awsStorage, platform, cluster);
  if (settings.mode === 'baseline') return { mode: 'baseline', platform, cluster };

  const tenant = platform.tenants.find((t) => t.id === settings.tenant);
  if (!tenant) {
    throw new StackConfigError([
      `${CONFIG_NAMESPACE}:tenant "${settings.tenant}" is not a tenant of platform "${platform.metadata.name}" (known tenants: ${list(platform.tenants.map((t) => t.id).sort())}); a partner's own file goes in the folder named by ${CONFIG_NAMESPACE}:tenants`,
    ]);
  }
  const pools = Object.entries(tenant.quotas.gpu[cluster.id] ?? {}).filter(([, q]) => q !== undefined);
  if (pools.length === 0) {
    const elsewhere = Object.entries(tenant.quotas.gpu)
      .filter(([, byPool]) => Object.keys(byPool).length > 0)
      .map(([clusterId]) => clusterId)
      .sort();
    throw new StackConfigError([
      `tenant "${tenant.id}" has no GPU quota on cluster "${cluster.id}", so it has nothing to run there (it has quota on: ${list(elsewhere)}); set ${CONFIG_NAMESPACE}:cluster to one of those, or add quotas.gpu.${cluster.id} to the tenant in the spec`,
    ]);
  }
  return { mode: 'tenant', platform, cluster, tenant };
}

/** AWS storage ids only for a cluster on an AWS site, and only for tiers of the right kind there. */
function checkAwsStorage(refs: AwsStorageConfig, platform: Platform, cluster: Cluster): void {
  const key = `${CONFIG_NAMESPACE}:awsStorage`;
  const site = platform.sites.find((s) => s.id === cluster.site);
  if (site?.kind !== 'aws') {
    throw new StackConfigError([
      `${key} is set, but cluster "${cluster.id}" is on site "${cluster.site}", which is not an AWS site; remove it`,
    ]);
  }
  const tiersOfKind = (kind: string): string[] =>
    platform.storageTiers
      .filter((t) => t.kind === kind && t.sites.some((r) => r.site === site.id))
      .map((t) => t.id)
      .sort();
  const problems: string[] = [];
  const check = (field: string, ids: string[], kind: string): void => {
    const known = tiersOfKind(kind);
    for (const id of ids.sort()) {
      if (!known.includes(id))
        problems.push(
          `${key}.${field}.${id}: site "${site.id}" has no ${kind} tier "${id}" (${kind} tiers there: ${list(known)})`,
        );
    }
  };
  check('efsFileSystemIds', Object.keys(refs.efsFileSystemIds ?? {}), 'file');
  check('fsxFileSystems', Object.keys(refs.fsxFileSystems ?? {}), 'parallel-fs');
  if (problems.length > 0) throw new StackConfigError(problems);
}
