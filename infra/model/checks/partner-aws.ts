/**
 * Partner sites hosted in the partner's own AWS account: the account is the partner's trust
 * boundary, never one of the platform's; export-controlled work needs a GovCloud region (as on
 * the platform's own AWS sites); and the site's clusters are there only as workers of a
 * federation whose manager runs on a platform AWS site in the same partition, since the only
 * trust the partner's account gives is to that manager's role. The manager calls such a worker
 * over a transit gateway of its own site (regional, so in the partner site's region), never an
 * IPsec VPN: `apiServer.vpnPeer` has no meaning there and is refused.
 */
import type { PartnerSite } from '../sites';
import type { CheckContext, ModelCheck } from './context';

const isGovCloud = (region: string): boolean => region.startsWith('us-gov-');

function accountRules(ctx: CheckContext, site: PartnerSite, i: number): void {
  const aws = site.aws!;
  const at = ['sites', i, 'aws'];
  for (const other of ctx.platform.sites) {
    if (other.kind === 'aws' && other.account === aws.account)
      ctx.add(
        [...at, 'account'],
        `account ${aws.account} is the account of platform site "${other.id}"; a partner site is hosted in the partner's own account, a trust boundary of its own`,
      );
  }
  if (site.ceiling === 'export-controlled' && !isGovCloud(aws.region))
    ctx.add(
      [...at, 'region'],
      `partner site "${site.id}" attests an export-controlled ceiling in ${aws.region}; export-controlled work on AWS belongs in an AWS GovCloud (us-gov-*) region`,
    );
}

/** Each cluster of the site is a worker of a federation managed from a platform AWS site of its partition. */
function workerRules(ctx: CheckContext, site: PartnerSite): void {
  const region = site.aws!.region;
  ctx.platform.clusters.forEach((c, j) => {
    if (c.site !== site.id) return;
    let federated = false;
    ctx.platform.federations.forEach((f, i) => {
      const k = f.workers.indexOf(c.id);
      if (k < 0) return;
      federated = true;
      const managerSite = ctx.sites.get(ctx.clusters.get(f.manager)?.site ?? '');
      if (!managerSite) return;
      if (managerSite.kind !== 'aws')
        ctx.add(
          ['federations', i, 'workers', k],
          `"${c.id}" runs in the AWS account of partner site "${site.id}", which trusts only the manager's AWS role; manager "${f.manager}" is not on a platform AWS site`,
        );
      else if (isGovCloud(managerSite.region) !== isGovCloud(region))
        ctx.add(
          ['federations', i, 'workers', k],
          `"${c.id}" is in ${region} and manager "${f.manager}" in ${managerSite.region}; an IAM role cannot be assumed across the GovCloud and commercial partitions`,
        );
      else if (managerSite.region !== region)
        ctx.add(
          ['federations', i, 'workers', k],
          `"${c.id}" is in ${region} and manager "${f.manager}" in ${managerSite.region}; the manager reaches it through a transit gateway of its site, which attaches VPCs of its own region only, so host partner site "${site.id}" in ${managerSite.region}`,
        );
    });
    if (c.apiServer?.vpnPeer !== undefined)
      ctx.add(
        ['clusters', j, 'apiServer', 'vpnPeer'],
        `"${c.id}" runs in the AWS account of partner site "${site.id}": its manager reaches it through a transit gateway shared with that account, not an IPsec VPN, so remove apiServer.vpnPeer`,
      );
    if (!federated)
      ctx.add(
        ['clusters', j, 'site'],
        `"${c.id}" is on partner site "${site.id}" in the partner's AWS account but is a worker of no federation; the platform reaches a partner's cluster only through a federation's manager`,
      );
  });
}

export const partnerAwsRules: ModelCheck = {
  name: 'partner-aws',
  description:
    "a partner site hosted on AWS is in an account of the partner's own, in GovCloud for export-controlled work, and its clusters are workers of a federation managed from a platform AWS site of the same partition",
  run(ctx) {
    ctx.platform.sites.forEach((s, i) => {
      if (s.kind !== 'partner' || !s.aws) return;
      accountRules(ctx, s, i);
      workerRules(ctx, s);
    });
  },
};
