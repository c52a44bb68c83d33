/**
 * The cross-target pack: rules that hold the cloud assembly and the manifests to each other (target both).
 * One rule per file of this folder, each listed here once under its file name (a test checks it);
 * add a rule: import its file below and add it to the object, in alphabetical order.
 */
import type { RuleDefinition } from '../../engine/types';

import DatasetGrantsConsistent from './DatasetGrantsConsistent';
import EffectiveAccessMatchesIntent from './EffectiveAccessMatchesIntent';
import FederationPathToWorkerApiOnly from './FederationPathToWorkerApiOnly';
import FlavorCapacityMatchesNodeGroups from './FlavorCapacityMatchesNodeGroups';
import GpuQuotaConsistent from './GpuQuotaConsistent';
import ServiceAccountRoleOwnTenant from './ServiceAccountRoleOwnTenant';

/** File name (without .ts) -> the rule it defines. */
export const CROSS_RULE_FILES: Readonly<Record<string, RuleDefinition>> = {
  DatasetGrantsConsistent,
  EffectiveAccessMatchesIntent,
  FederationPathToWorkerApiOnly,
  FlavorCapacityMatchesNodeGroups,
  GpuQuotaConsistent,
  ServiceAccountRoleOwnTenant,
};
