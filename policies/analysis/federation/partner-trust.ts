/**
 * The declared cross-account trust of partner sites hosted on AWS, read defensively from
 * platform.json: the platform's own accounts (its AWS sites), and for each partner account the
 * manager roles it may trust and the worker role and group each federation gets there. Names
 * follow the contract (infra/contract/federation.ts), as the AWS target writes them.
 */
import {
  iamRoleArn,
  managerGroupName,
  multiKueueManagerRoleName,
  multiKueueWorkerRoleName,
} from '../../../infra/contract';
import { asRecord as rec, records as list, strings as strs } from '../../../infra/util/records';
import { partitionOf } from '../../engine/cfn/resolve';
import type { ArtifactSet } from '../../engine/types';

/** What one partner account may grant: the managers' role ARNs, and each worker role ARN's group. */
export interface PartnerAccountTrust {
  readonly managerRoleArns: ReadonlySet<string>;
  /** Worker role ARN -> the only Kubernetes group its access entries may name. */
  readonly workerGroups: ReadonlyMap<string, string>;
}

export interface PartnerTrustIntent {
  /** Accounts of the platform's own AWS sites. */
  readonly platformAccounts: ReadonlySet<string>;
  /** Partner account -> its declared trust. */
  readonly partners: ReadonlyMap<string, PartnerAccountTrust>;
  /** Accounts of every partner site hosted on AWS, trusted by no platform role. */
  readonly partnerAccounts: ReadonlySet<string>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function readPartnerTrustIntent(artifacts: ArtifactSet): PartnerTrustIntent | undefined {
  if (!artifacts.intent) return undefined;
  const j = rec(artifacts.intent.json);
  const sites = list(j.sites);
  const awsSites = new Map(
    sites
      .filter((s) => s.kind === 'aws')
      .map((s) => [str(s.id), { account: str(s.account), region: str(s.region) }]),
  );
  const partnerHosts = new Map(
    sites
      .filter((s) => s.kind === 'partner' && rec(s.aws).account !== undefined)
      .map((s) => [str(s.id), { account: str(rec(s.aws).account), region: str(rec(s.aws).region) }]),
  );
  const siteOf = new Map(list(j.clusters).map((c) => [str(c.id), str(c.site)]));
  const partners = new Map<string, { managerRoleArns: Set<string>; workerGroups: Map<string, string> }>();
  for (const f of list(j.federations)) {
    const manager = awsSites.get(siteOf.get(str(f.manager)) ?? '');
    if (!manager) continue;
    const managerArn = iamRoleArn(
      partitionOf(manager.region),
      manager.account,
      multiKueueManagerRoleName(str(f.manager)),
    );
    for (const w of strs(f.workers)) {
      const host = partnerHosts.get(siteOf.get(w) ?? '');
      if (!host) continue;
      const entry = partners.get(host.account) ?? { managerRoleArns: new Set(), workerGroups: new Map() };
      entry.managerRoleArns.add(managerArn);
      entry.workerGroups.set(
        iamRoleArn(partitionOf(host.region), host.account, multiKueueWorkerRoleName(str(f.id))),
        managerGroupName(str(f.id)),
      );
      partners.set(host.account, entry);
    }
  }
  return {
    platformAccounts: new Set([...awsSites.values()].map((s) => s.account)),
    partners,
    partnerAccounts: new Set([...partnerHosts.values()].map((h) => h.account)),
  };
}
