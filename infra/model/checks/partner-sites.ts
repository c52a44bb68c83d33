/**
 * Partner sites: compute a partner contributes under its own agreement and trust boundary. It
 * never holds more than the agreement allows and the partner attests, never export-controlled
 * work without a US-person attestation, never platform storage or datasets, and only the
 * tenants it accepts.
 */
import { classificationAllows, classificationRank } from '../classification';
import type { PartnerSite } from '../sites';
import type { CheckContext, ModelCheck } from './context';

function siteRules(ctx: CheckContext, site: PartnerSite, i: number): void {
  const at = ['sites', i];
  ctx.ref(ctx.tenants, site.partner, [...at, 'partner'], 'tenant');
  site.serves.forEach((t, j) => ctx.ref(ctx.tenants, t, [...at, 'serves', j], 'tenant'));
  if (!classificationAllows(site.agreement.allows, site.ceiling))
    ctx.add(
      [...at, 'ceiling'],
      `the attested ceiling ${site.ceiling} is above what agreement ${site.agreement.id} allows (${site.agreement.allows})`,
    );
  if (site.ceiling === 'export-controlled' && !site.usPersons.attested)
    ctx.add(
      [...at, 'usPersons', 'attested'],
      'a partner site cannot take export-controlled work without a US-person attestation',
    );
  if (site.usPersons.attested && !site.usPersons.date)
    ctx.add([...at, 'usPersons', 'date'], 'an attestation needs the date it was given');
  if (site.agreement.expires < ctx.options.now)
    ctx.add(
      [...at, 'agreement', 'expires'],
      `agreement ${site.agreement.id} expired on ${site.agreement.expires} (now is ${ctx.options.now})`,
    );
}

export const partnerSiteRules: ModelCheck = {
  name: 'partner-sites',
  description:
    "a partner site's ceiling is within its agreement and attestation, its enclaves within its ceiling, and it holds no storage, datasets or home enclaves",
  run(ctx) {
    const partnerSites = new Map<string, PartnerSite>();
    ctx.platform.sites.forEach((s, i) => {
      if (s.kind !== 'partner') return;
      partnerSites.set(s.id, s);
      siteRules(ctx, s, i);
    });
    if (!partnerSites.size) return;
    ctx.platform.enclaves.forEach((e, i) => {
      const site = partnerSites.get(e.site);
      if (site && classificationRank(e.classification) > classificationRank(site.ceiling))
        ctx.add(
          ['enclaves', i, 'classification'],
          `${e.classification} is above the ceiling partner site "${site.id}" attests (${site.ceiling})`,
        );
    });
    ctx.platform.storageTiers.forEach((t, i) =>
      t.sites.forEach((r, j) => {
        if (partnerSites.has(r.site))
          ctx.add(
            ['storageTiers', i, 'sites', j, 'site'],
            `"${r.site}" is a partner site: it contributes compute only, and datasets never leave their site`,
          );
      }),
    );
    const partnerEnclaves = new Set(
      ctx.platform.enclaves.filter((e) => partnerSites.has(e.site)).map((e) => e.id),
    );
    ctx.platform.datasets.forEach((d, i) => {
      if (partnerEnclaves.has(d.enclave))
        ctx.add(
          ['datasets', i, 'enclave'],
          `"${d.enclave}" is on a partner site; datasets never leave platform sites`,
        );
    });
    ctx.platform.tenants.forEach((t, i) => {
      if (partnerEnclaves.has(t.homeEnclave))
        ctx.add(
          ['tenants', i, 'homeEnclave'],
          `"${t.homeEnclave}" is on a partner site; a tenant's home is on the platform`,
        );
      for (const clusterId of Object.keys(t.quotas.gpu)) {
        const site = partnerSites.get(ctx.clusters.get(clusterId)?.site ?? '');
        if (site && site.partner !== t.id && !site.serves.includes(t.id))
          ctx.add(
            ['tenants', i, 'quotas', 'gpu', clusterId],
            `partner site "${site.id}" (contributed by ${site.partner}) does not serve tenant "${t.id}"; add it to the site's serves`,
          );
      }
    });
  },
};
