/**
 * Partner sites hosted in the partner's own AWS account (`aws` on a partner site): what their
 * `Partner-<site>` stack holds, and what the manager of each of their federations is granted on
 * the platform's side. The model has refused such a site in a platform account, or with a cluster
 * that is not a worker of a federation managed from a platform AWS site (checks/partner-aws.ts).
 */
import {
  awsPartition,
  iamRoleArn,
  managerGroupName,
  multiKueueManagerRoleName,
  multiKueueWorkerRoleName,
} from '../../infra/contract';
import { federationTransitParameterName } from '../../constructs/aws/names';
import {
  federationPaths,
  type AwsSite,
  type Cluster,
  type Enclave,
  type FederationPath,
  type PartnerSite,
  type Platform,
} from '../../infra/model';

/** Where a partner's AWS-hosted site lives. */
export interface PartnerAwsHost {
  readonly account: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
}

/** The manager of one federation, as a partner's account trusts it. */
export interface WorkerAccessPlacement {
  readonly federation: string;
  /** The role in the partner account that only the manager may assume. */
  readonly roleName: string;
  /** The manager's MultiKueue role in the platform account: the only principal trusted. */
  readonly managerRoleArn: string;
  /** The Kubernetes group the role enters the site's worker clusters as. */
  readonly group: string;
  /** The site's clusters that are workers of the federation, sorted by id. */
  readonly clusters: readonly Cluster[];
  /** The manager's enclave CIDR: the only network outside the site that may call the workers' API. */
  readonly managerCidr: string;
}

/**
 * The partner's end of one transit gateway of a manager's site (one per manager enclave and partner
 * site): the site's enclaves that hold its workers attach to it and route the manager's enclave to it.
 */
export interface PartnerTransitPlacement {
  readonly managerEnclave: string;
  readonly managerCidr: string;
  /** ARN of the SSM parameter in the manager's account that holds the gateway's id (shared by RAM). */
  readonly parameterArn: string;
  /** The site's enclaves that hold workers of the manager, sorted. */
  readonly workerEnclaves: readonly string[];
}

/**
 * The manager's end: the transit gateway a manager's site holds for one of its enclaves and one
 * partner site hosted on AWS, with the worker endpoints it carries (sorted by worker).
 */
export interface ManagerTransitPlacement {
  readonly partnerSite: string;
  readonly partnerAccount: string;
  readonly managerEnclave: string;
  readonly parameterName: string;
  readonly paths: readonly FederationPath[];
}

export interface PartnerPlacement {
  readonly site: PartnerSite;
  readonly host: PartnerAwsHost;
  readonly enclaves: readonly Enclave[];
  readonly clusters: readonly Cluster[];
  /** One per federation the site's clusters work for, sorted by federation id. */
  readonly access: readonly WorkerAccessPlacement[];
  /** One per transit gateway of a manager's site that reaches the site, by manager enclave. */
  readonly transits: readonly PartnerTransitPlacement[];
}

/** Worker role ARNs each manager cluster on a platform AWS site may assume, by cluster id (sorted). */
export type ManagerGrants = ReadonlyMap<string, readonly string[]>;

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The AWS-hosted partner sites of the platform and the managers' grants; problems are pushed to `problems`. */
export function placePartners(
  platform: Platform,
  problems: string[],
): { partners: PartnerPlacement[]; managerGrants: ManagerGrants } {
  const clusters = new Map(platform.clusters.map((c) => [c.id, c]));
  const awsSites = new Map(
    platform.sites.filter((s): s is AwsSite => s.kind === 'aws').map((s) => [s.id, s]),
  );
  const grants = new Map<string, Set<string>>();
  const roleOwners = new Map<string, string>();
  const partners: PartnerPlacement[] = [];
  for (const site of platform.sites) {
    if (site.kind !== 'partner' || !site.aws) continue;
    const host = site.aws;
    const siteClusters = platform.clusters.filter((c) => c.site === site.id).sort(byId);
    const access: WorkerAccessPlacement[] = [];
    for (const f of [...platform.federations].sort(byId)) {
      const workers = siteClusters.filter((c) => f.workers.includes(c.id));
      const managerSite = awsSites.get(clusters.get(f.manager)?.site ?? '');
      if (workers.length === 0 || !managerSite) continue;
      const roleName = multiKueueWorkerRoleName(f.id);
      const owner = roleOwners.get(`${host.account}/${roleName}`);
      if (owner)
        problems.push(
          `partner sites "${owner}" and "${site.id}" share account ${host.account} and both work for federation "${f.id}"; its role ${roleName} would be claimed twice, so host them in one site or separate accounts`,
        );
      roleOwners.set(`${host.account}/${roleName}`, site.id);
      const managerRoleArn = iamRoleArn(
        awsPartition(managerSite.region),
        managerSite.account,
        multiKueueManagerRoleName(f.manager),
      );
      access.push({
        federation: f.id,
        roleName,
        managerRoleArn,
        group: managerGroupName(f.id),
        clusters: workers,
        managerCidr: platform.enclaves.find((e) => e.id === clusters.get(f.manager)?.enclave)?.cidr ?? '',
      });
      const workerRoleArn = iamRoleArn(awsPartition(host.region), host.account, roleName);
      grants.set(f.manager, (grants.get(f.manager) ?? new Set()).add(workerRoleArn));
    }
    partners.push({
      site,
      host,
      enclaves: platform.enclaves.filter((e) => e.site === site.id).sort(byId),
      clusters: siteClusters,
      access,
      transits: partnerTransits(platform, site.id),
    });
  }
  partners.sort((a, b) => byId(a.site, b.site));
  const managerGrants = new Map(
    [...grants].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]),
  );
  return { partners, managerGrants };
}

/**
 * The transit gateways of a manager's site: one per manager enclave and AWS-hosted partner site
 * with workers of a federation managed there, sorted by partner site then manager enclave.
 */
export function managerTransits(platform: Platform, managerSite: string): ManagerTransitPlacement[] {
  const sites = new Map(platform.sites.map((s) => [s.id, s]));
  const byKey = new Map<string, ManagerTransitPlacement>();
  for (const p of federationPaths(platform)) {
    const worker = sites.get(p.workerSite);
    if (p.managerSite !== managerSite || worker?.kind !== 'partner' || !worker.aws) continue;
    const key = `${p.workerSite}|${p.managerEnclave}`;
    const prior = byKey.get(key);
    byKey.set(key, {
      partnerSite: p.workerSite,
      partnerAccount: worker.aws.account,
      managerEnclave: p.managerEnclave,
      parameterName: federationTransitParameterName(p.workerSite, p.managerEnclave),
      paths: [...(prior?.paths ?? []), p],
    });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, t]) => ({
      ...t,
      paths: [...new Map(t.paths.map((p) => [p.worker, p])).values()].sort((a, b) =>
        a.worker < b.worker ? -1 : 1,
      ),
    }));
}

/** The partner site's ends of the transit gateways of its managers' sites, by manager enclave. */
function partnerTransits(platform: Platform, partnerSite: string): PartnerTransitPlacement[] {
  const sites = new Map(platform.sites.map((s) => [s.id, s]));
  const enclaves = new Map(platform.enclaves.map((e) => [e.id, e]));
  const byManager = new Map<string, { site: AwsSite; workers: Set<string> }>();
  for (const p of federationPaths(platform)) {
    const manager = sites.get(p.managerSite);
    if (p.workerSite !== partnerSite || manager?.kind !== 'aws') continue;
    const prior = byManager.get(p.managerEnclave) ?? { site: manager, workers: new Set<string>() };
    prior.workers.add(p.workerEnclave);
    byManager.set(p.managerEnclave, prior);
  }
  return [...byManager.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([managerEnclave, { site, workers }]) => ({
      managerEnclave,
      managerCidr: enclaves.get(managerEnclave)?.cidr ?? '',
      parameterArn: `arn:${awsPartition(site.region)}:ssm:${site.region}:${site.account}:parameter${federationTransitParameterName(partnerSite, managerEnclave)}`,
      workerEnclaves: [...workers].sort(),
    }));
}
