/**
 * `genesis tenant plan` synthesizes only what a tenant spec can change (the site stacks, the
 * tenant's stack, the cluster-wide files and the tenant's files). The plan must be the one a
 * synthesis of everything gives.
 */
import * as path from 'node:path';
import { loadPlatform } from '../../infra/model';
import { planTenant } from '../../cli/partner/plan';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'partners');
const NOW = '2026-11-26';

describe.each([
  ['a new tenant homed on AWS', 'good-orbit-labs.tenant.yaml', 'orbit-labs'],
  ['a revision of an existing tenant', 'good-aurora-ai-revision.tenant.yaml', 'aurora-ai'],
  ['a new tenant', 'good-coastal-univ.tenant.yaml', 'coastal-univ'],
])('%s', (_, file, tenant) => {
  it('gives the same plan as a synthesis of every stack and file', () => {
    const before = loadPlatform({ now: NOW }).platform;
    const after = loadPlatform({ now: NOW, tenantFile: path.join(CORPUS, file) }).platform;
    expect(after.tenants.some((t) => t.id === tenant)).toBe(true);
    const selective = planTenant(before, after, tenant);
    expect(selective.aws.length + selective.k8s.length).toBeGreaterThan(0);
    expect(selective).toEqual(planTenant(before, after, tenant, 'everything'));
  }, 120_000);
});
