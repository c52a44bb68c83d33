/** Storage tiers: what each kind may set, and how each site realises it. */
import type { StorageTier } from '../storage';
import type { CheckContext, ModelCheck } from './context';

const BACKEND_FOR: Record<string, readonly string[]> = {
  'parallel-fs': ['lustre'],
  file: ['nfs', 'cephfs'],
  object: ['s3'],
  archive: ['s3'],
};

function kindRules(ctx: CheckContext, t: StorageTier, i: number): void {
  if (t.kind === 'archive') {
    if (!t.objectLock) ctx.add(['storageTiers', i, 'objectLock'], 'an archive tier must set objectLock');
    if (!t.versioning) ctx.add(['storageTiers', i, 'versioning'], 'an archive tier must enable versioning');
  } else {
    if (t.objectLock && t.kind !== 'object')
      ctx.add(
        ['storageTiers', i, 'objectLock'],
        `object lock applies to object and archive tiers, not ${t.kind}`,
      );
    if (t.transitionToGlacierDays !== undefined)
      ctx.add(['storageTiers', i, 'transitionToGlacierDays'], 'only archive tiers move to Glacier');
  }
  if (t.objectLock && !t.versioning)
    ctx.add(['storageTiers', i, 'versioning'], 'object lock requires versioning');
}

function realisations(ctx: CheckContext, t: StorageTier, i: number): void {
  const seenSites = new Set<string>();
  t.sites.forEach((r, j) => {
    const path = ['storageTiers', i, 'sites', j];
    if (seenSites.has(r.site)) ctx.add([...path, 'site'], `site "${r.site}" is listed twice`);
    seenSites.add(r.site);
    const site = ctx.ref(ctx.sites, r.site, [...path, 'site'], 'site');
    if (!site) return;
    if (site.kind === 'aws') {
      for (const k of ['backend', 'endpoint', 'path'] as const) {
        if (r[k] !== undefined)
          ctx.add(
            [...path, k],
            `AWS sites use the managed service for "${t.kind}"; ${k} applies to on-prem sites only`,
          );
      }
      return;
    }
    const allowed = BACKEND_FOR[t.kind];
    if (!r.backend)
      ctx.add(
        [...path, 'backend'],
        `on-prem site "${r.site}" must name the backend (${allowed.join(' or ')})`,
      );
    else if (!allowed.includes(r.backend))
      ctx.add(
        [...path, 'backend'],
        `backend "${r.backend}" cannot realise a ${t.kind} tier; use ${allowed.join(' or ')}`,
      );
    if (!r.endpoint)
      ctx.add([...path, 'endpoint'], `on-prem site "${r.site}" must give the storage endpoint`);
  });
}

export const storageTierRules: ModelCheck = {
  name: 'storage-tiers',
  description:
    'archive tiers lock and version objects, only archive tiers move to Glacier, and each site realises a tier with a backend that can',
  run(ctx) {
    ctx.platform.storageTiers.forEach((t, i) => {
      kindRules(ctx, t, i);
      realisations(ctx, t, i);
    });
  },
};
