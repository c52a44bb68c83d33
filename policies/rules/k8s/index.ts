/**
 * The Kubernetes pack: rules over the manifests of each cluster (target k8s).
 * One rule per file of this folder, each listed here once under its file name (a test checks it);
 * add a rule: import its file below and add it to the object, in alphabetical order.
 */
import type { RuleDefinition } from '../../engine/types';

import AdmissionCorpusHolds from './AdmissionCorpusHolds';
import AdmissionExpressionsCompile from './AdmissionExpressionsCompile';
import ClusterQueueCohortDeclared from './ClusterQueueCohortDeclared';
import ClusterQueueFlavorsExist from './ClusterQueueFlavorsExist';
import ClusterQueueNamespaceScoped from './ClusterQueueNamespaceScoped';
import ClusterScopedInventory from './ClusterScopedInventory';
import CohortBorrowingLimited from './CohortBorrowingLimited';
import CoveredResourcesMatchQuotas from './CoveredResourcesMatchQuotas';
import FederatedQueueCoversClassification from './FederatedQueueCoversClassification';
import FederatedQueueMirrored from './FederatedQueueMirrored';
import FederationManagerRightsMinimal from './FederationManagerRightsMinimal';
import FlavorsSelectDistinctNodes from './FlavorsSelectDistinctNodes';
import FsxStorageClassBackups from './FsxStorageClassBackups';
import GpuOperatorIsolation from './GpuOperatorIsolation';
import GpuQuotaCoversEveryPod from './GpuQuotaCoversEveryPod';
import GpuSharingMatchesSpec from './GpuSharingMatchesSpec';
import GpuTolerationRequiresQueue from './GpuTolerationRequiresQueue';
import GpuVisibilityAdmissionGuard from './GpuVisibilityAdmissionGuard';
import KueueQuotasWithinSpec from './KueueQuotasWithinSpec';
import LocalQueueTargetsClusterQueue from './LocalQueueTargetsClusterQueue';
import NoAllowAllNetworkPolicy from './NoAllowAllNetworkPolicy';
import NoClusterRoleBindingForTenants from './NoClusterRoleBindingForTenants';
import NoGpuVisibilityEnv from './NoGpuVisibilityEnv';
import NoHostPath from './NoHostPath';
import NoUnknownKinds from './NoUnknownKinds';
import NoWildcardRbacForTenants from './NoWildcardRbacForTenants';
import NominalQuotaWithinCapacity from './NominalQuotaWithinCapacity';
import TenantDefaultDenyNetworkPolicy from './TenantDefaultDenyNetworkPolicy';
import TenantLimitRange from './TenantLimitRange';
import TenantMetadataServiceDenied from './TenantMetadataServiceDenied';
import TenantNamespaceIdentity from './TenantNamespaceIdentity';
import TenantNamespacePodSecurity from './TenantNamespacePodSecurity';
import TenantPodSpecRestricted from './TenantPodSpecRestricted';
import TenantPriorityClassesLimited from './TenantPriorityClassesLimited';
import TenantReachMatchesIntent from './TenantReachMatchesIntent';
import TenantResourceQuotaGpu from './TenantResourceQuotaGpu';
import TenantSubjectsOwnNamespace from './TenantSubjectsOwnNamespace';
import TenantVolumeSources from './TenantVolumeSources';

/** File name (without .ts) -> the rule it defines. */
export const K8S_RULE_FILES: Readonly<Record<string, RuleDefinition>> = {
  AdmissionCorpusHolds,
  AdmissionExpressionsCompile,
  ClusterQueueCohortDeclared,
  ClusterQueueFlavorsExist,
  ClusterQueueNamespaceScoped,
  ClusterScopedInventory,
  CohortBorrowingLimited,
  CoveredResourcesMatchQuotas,
  FederatedQueueCoversClassification,
  FederatedQueueMirrored,
  FederationManagerRightsMinimal,
  FlavorsSelectDistinctNodes,
  FsxStorageClassBackups,
  GpuOperatorIsolation,
  GpuQuotaCoversEveryPod,
  GpuSharingMatchesSpec,
  GpuTolerationRequiresQueue,
  GpuVisibilityAdmissionGuard,
  KueueQuotasWithinSpec,
  LocalQueueTargetsClusterQueue,
  NoAllowAllNetworkPolicy,
  NoClusterRoleBindingForTenants,
  NoGpuVisibilityEnv,
  NoHostPath,
  NoUnknownKinds,
  NoWildcardRbacForTenants,
  NominalQuotaWithinCapacity,
  TenantDefaultDenyNetworkPolicy,
  TenantLimitRange,
  TenantMetadataServiceDenied,
  TenantNamespaceIdentity,
  TenantNamespacePodSecurity,
  TenantPodSpecRestricted,
  TenantPriorityClassesLimited,
  TenantReachMatchesIntent,
  TenantResourceQuotaGpu,
  TenantSubjectsOwnNamespace,
  TenantVolumeSources,
};
