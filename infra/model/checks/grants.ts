/** Grants: one per tenant and dataset, current, within the agreement, lawful and reachable. */
import type { Enclave } from '../enclaves';
import type { ModelCheck } from './context';

function canReach(from: Enclave, to: Enclave): boolean {
  return from.id === to.id || to.reachableFrom.includes(from.id);
}

export const grantRules: ModelCheck = {
  name: 'grants',
  description:
    'a tenant holds one grant per dataset, current and within its agreement; only curators write; export-controlled data needs a US-person attestation; the home enclave reaches the data',
  run(ctx) {
    const now = ctx.options.now;
    const grantKeys = new Map<string, number>();
    ctx.platform.grants.forEach((g, i) => {
      const tenant = ctx.ref(ctx.tenants, g.tenant, ['grants', i, 'tenant'], 'tenant');
      const dataset = ctx.ref(ctx.datasets, g.dataset, ['grants', i, 'dataset'], 'dataset');
      const key = `${g.tenant}/${g.dataset}`;
      const prior = grantKeys.get(key);
      if (prior !== undefined)
        ctx.add(
          ['grants', i],
          `tenant "${g.tenant}" already holds a grant of "${g.dataset}" (index ${prior})`,
        );
      else grantKeys.set(key, i);
      if (g.expires < now)
        ctx.add(['grants', i, 'expires'], `the grant expired on ${g.expires} (now is ${now})`);
      if (!tenant || !dataset) return;
      if (g.expires > tenant.agreement.expires) {
        ctx.add(
          ['grants', i, 'expires'],
          `the grant runs to ${g.expires}, past the end of the tenant's agreement on ${tenant.agreement.expires}`,
        );
      }
      if (g.access === 'write' && !dataset.curators.includes(tenant.id)) {
        ctx.add(
          ['grants', i, 'access'],
          `only the curators of "${dataset.id}" may write to it (${dataset.curators.join(', ') || 'none are named'}); grant "read", or ask the platform team to name "${tenant.id}" a curator`,
        );
      }
      if (dataset.classification === 'export-controlled' && !tenant.usPerson.attested) {
        ctx.add(
          ['grants', i, 'dataset'],
          `"${dataset.id}" is export-controlled and tenant "${tenant.id}" has no US-person attestation`,
        );
      }
      const home = ctx.enclaves.get(tenant.homeEnclave);
      const target = ctx.enclaves.get(dataset.enclave);
      if (home && target && !canReach(home, target)) {
        ctx.add(
          ['grants', i, 'dataset'],
          `tenant "${tenant.id}" works in enclave "${home.id}", which may not reach enclave "${target.id}" where "${dataset.id}" is held`,
        );
      }
    });
  },
};
