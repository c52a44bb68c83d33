/**
 * Checks that span more than one field: references, uniqueness, address plans, capacity, data
 * classification and grant validity. zod checks each value's shape; these check that the values
 * make one coherent, lawful platform. Every problem is collected, none stops the others.
 *
 * Each check is one named entry of {@link CROSS_CHECKS}, run in this order (the order problems
 * are reported in).
 */
import type { Platform } from '../platform';
import { clusterRules } from './clusters';
import { checkContext, type CrossCheckOptions, type ModelCheck, type ModelIssue } from './context';
import { datasetRules } from './datasets';
import { enclaveRules } from './enclaves';
import { federationRules } from './federations';
import { grantRules } from './grants';
import { uniqueIds } from './identity';
import { partnerAwsRules } from './partner-aws';
import { partnerSiteRules } from './partner-sites';
import { storageTierRules } from './storage-tiers';
import { tenantRules } from './tenants';

export type { CheckContext, CrossCheckOptions, IssuePath, ModelCheck, ModelIssue } from './context';
export { RESERVED_POOL_NAMES } from './clusters';

export const CROSS_CHECKS: readonly ModelCheck[] = [
  uniqueIds,
  enclaveRules,
  storageTierRules,
  clusterRules,
  datasetRules,
  tenantRules,
  grantRules,
  partnerSiteRules,
  federationRules,
  partnerAwsRules,
];

export function crossCheck(platform: Platform, options: CrossCheckOptions): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const ctx = checkContext(platform, options, issues);
  for (const check of CROSS_CHECKS) check.run(ctx);
  ctx.finish();
  return issues;
}
