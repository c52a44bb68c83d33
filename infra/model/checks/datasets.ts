/** Datasets: held only where their classification is allowed, on a tier realised at their site. */
import { classificationAllows } from '../classification';
import type { ModelCheck } from './context';

export const datasetRules: ModelCheck = {
  name: 'datasets',
  description:
    "a dataset's enclave and tier allow its classification, the tier is realised on the enclave's site, curators are tenants, and export-control markings are consistent",
  run(ctx) {
    ctx.platform.datasets.forEach((d, i) => {
      const enclave = ctx.ref(ctx.enclaves, d.enclave, ['datasets', i, 'enclave'], 'enclave');
      const tier = ctx.ref(ctx.tiers, d.tier, ['datasets', i, 'tier'], 'storage tier');
      if (enclave && !classificationAllows(enclave.classification, d.classification)) {
        ctx.add(
          ['datasets', i, 'classification'],
          `${d.classification} data cannot be held in ${enclave.classification} enclave "${enclave.id}"`,
        );
      }
      if (tier && !classificationAllows(tier.maxClassification, d.classification)) {
        ctx.add(
          ['datasets', i, 'classification'],
          `${d.classification} data cannot be held on tier "${tier.id}", which allows at most ${tier.maxClassification}`,
        );
      }
      if (enclave && tier && !tier.sites.some((r) => r.site === enclave.site)) {
        ctx.add(
          ['datasets', i, 'tier'],
          `tier "${tier.id}" is not realised on site "${enclave.site}", where enclave "${enclave.id}" is`,
        );
      }
      d.curators.forEach((c, j) => ctx.ref(ctx.tenants, c, ['datasets', i, 'curators', j], 'tenant'));
      if (d.exportControl && d.classification !== 'export-controlled') {
        ctx.add(
          ['datasets', i, 'exportControl'],
          `an export-control marking requires classification "export-controlled", not "${d.classification}"`,
        );
      }
    });
  },
};
