/**
 * The Kubernetes pack: rules over the manifests of each cluster (target k8s).
 * One rule per file of this folder, each listed here once under its file name (a test checks it);
 * add a rule: import its file below and add it to the object, in alphabetical order.
 */
import type { RuleDefinition } from '../../engine/types';

import ClusterQueueCohortDeclared from './ClusterQueueCohortDeclared';
import ClusterQueueFlavorsExist from './ClusterQueueFlavorsExist';
import ClusterQueueNamespaceScoped from './ClusterQueueNamespaceScoped';
import CohortBorrowingLimited from './CohortBorrowingLimited';
import CoveredResourcesMatchQuotas from './CoveredResourcesMatchQuotas';
import FlavorsSelectDistinctNodes from './FlavorsSelectDistinctNodes';
import FsxStorageClassBackups from './FsxStorageClassBackups';
import GpuOperatorIsolation from './GpuOperatorIsolation';
import GpuTolerationRequiresQueue from './GpuTolerationRequiresQueue';
import GpuVisibilityAdmissionGuard from './GpuVisibilityAdmissionGuard';
import LocalQueueTargetsClusterQueue from './LocalQueueTargetsClusterQueue';
import NoAllowAllNetworkPolicy from './NoAllowAllNetworkPolicy';
import NoClusterRoleBindingForTenants from './NoClusterRoleBindingForTenants';
import NoGpuVisibilityEnv from './NoGpuVisibilityEnv';
import NoHostPath from './NoHostPath';
import NoWildcardRbacForTenants from './NoWildcardRbacForTenants';
import NominalQuotaWithinCapacity from './NominalQuotaWithinCapacity';
import TenantDefaultDenyNetworkPolicy from './TenantDefaultDenyNetworkPolicy';
import TenantLimitRange from './TenantLimitRange';
import TenantMetadataServiceDenied from './TenantMetadataServiceDenied';
import TenantNamespaceIdentity from './TenantNamespaceIdentity';
import TenantNamespacePodSecurity from './TenantNamespacePodSecurity';
import TenantPodSpecRestricted from './TenantPodSpecRestricted';
import TenantResourceQuotaGpu from './TenantResourceQuotaGpu';
import TenantSubjectsOwnNamespace from './TenantSubjectsOwnNamespace';

/** File name (without .ts) -> the rule it defines. */
export const K8S_RULE_FILES: Readonly<Record<string, RuleDefinition>> = {
  ClusterQueueCohortDeclared,
  ClusterQueueFlavorsExist,
  ClusterQueueNamespaceScoped,
  CohortBorrowingLimited,
  CoveredResourcesMatchQuotas,
  FlavorsSelectDistinctNodes,
  FsxStorageClassBackups,
  GpuOperatorIsolation,
  GpuTolerationRequiresQueue,
  GpuVisibilityAdmissionGuard,
  LocalQueueTargetsClusterQueue,
  NoAllowAllNetworkPolicy,
  NoClusterRoleBindingForTenants,
  NoGpuVisibilityEnv,
  NoHostPath,
  NoWildcardRbacForTenants,
  NominalQuotaWithinCapacity,
  TenantDefaultDenyNetworkPolicy,
  TenantLimitRange,
  TenantMetadataServiceDenied,
  TenantNamespaceIdentity,
  TenantNamespacePodSecurity,
  TenantPodSpecRestricted,
  TenantResourceQuotaGpu,
  TenantSubjectsOwnNamespace,
};
