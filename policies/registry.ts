/**
 * Every rule of the policy engine. A test asserts that each file under policies/rules is listed
 * here and that rule ids are unique; order does not matter (findings are sorted).
 */
import type { Rule } from './engine/types';

import ArchiveBucketObjectLock from './rules/aws/ArchiveBucketObjectLock';
import ArchiveBucketVersioning from './rules/aws/ArchiveBucketVersioning';
import BucketPolicySize from './rules/aws/BucketPolicySize';
import EfsCmkEncryption from './rules/aws/EfsCmkEncryption';
import EksControlPlaneLogging from './rules/aws/EksControlPlaneLogging';
import EksPrivateEndpoint from './rules/aws/EksPrivateEndpoint';
import EksSecretsEncryption from './rules/aws/EksSecretsEncryption';
import EnclaveClassificationConsistent from './rules/aws/EnclaveClassificationConsistent';
import FsxCmkEncryption from './rules/aws/FsxCmkEncryption';
import KeyPolicySize from './rules/aws/KeyPolicySize';
import KmsKeyRotation from './rules/aws/KmsKeyRotation';
import LogGroupCmkEncryption from './rules/aws/LogGroupCmkEncryption';
import LogGroupRetention from './rules/aws/LogGroupRetention';
import ManagedPolicyAttachments from './rules/aws/ManagedPolicyAttachments';
import ManagedPolicySize from './rules/aws/ManagedPolicySize';
import NoDataServiceWildcardAction from './rules/aws/NoDataServiceWildcardAction';
import OneBucketPolicyPerBucket from './rules/aws/OneBucketPolicyPerBucket';
import NoInternetGatewayInRestrictedEnclave from './rules/aws/NoInternetGatewayInRestrictedEnclave';
import NodeMetadataServiceV2 from './rules/aws/NodeMetadataServiceV2';
import NodeVolumeCmkEncryption from './rules/aws/NodeVolumeCmkEncryption';
import NoLongLivedIamCredentials from './rules/aws/NoLongLivedIamCredentials';
import NoNatGatewayInRestrictedEnclave from './rules/aws/NoNatGatewayInRestrictedEnclave';
import NoOpenIngressInRestrictedEnclave from './rules/aws/NoOpenIngressInRestrictedEnclave';
import NetworkAclOpenInboundEphemeralOnly from './rules/aws/NetworkAclOpenInboundEphemeralOnly';
import NoPublicSubnetInRestrictedEnclave from './rules/aws/NoPublicSubnetInRestrictedEnclave';
import NoStarResourceWithDataActions from './rules/aws/NoStarResourceWithDataActions';
import PodIdentityAssociationOwnTenant from './rules/aws/PodIdentityAssociationOwnTenant';
import ResourcePolicyNotPublic from './rules/aws/ResourcePolicyNotPublic';
import RoleInlinePolicySize from './rules/aws/RoleInlinePolicySize';
import RoleNameLength from './rules/aws/RoleNameLength';
import S3AccessLogging from './rules/aws/S3AccessLogging';
import S3BucketCmkEncryption from './rules/aws/S3BucketCmkEncryption';
import S3MinimumTlsVersion from './rules/aws/S3MinimumTlsVersion';
import S3PublicAccessBlock from './rules/aws/S3PublicAccessBlock';
import S3TlsOnly from './rules/aws/S3TlsOnly';
import SecurityGroupRuleCount from './rules/aws/SecurityGroupRuleCount';
import StackOutputCount from './rules/aws/StackOutputCount';
import StackParameterCount from './rules/aws/StackParameterCount';
import StackResourceCount from './rules/aws/StackResourceCount';
import StatefulDeletionPolicyRetain from './rules/aws/StatefulDeletionPolicyRetain';
import StatefulUpdateReplacePolicyRetain from './rules/aws/StatefulUpdateReplacePolicyRetain';
import TemplateSize from './rules/aws/TemplateSize';
import TenantGrantTimeBound from './rules/aws/TenantGrantTimeBound';
import TenantRoleIdentity from './rules/aws/TenantRoleIdentity';
import TenantRolePermissionBoundary from './rules/aws/TenantRolePermissionBoundary';
import TenantRoleTrustOwnNamespace from './rules/aws/TenantRoleTrustOwnNamespace';
import TrustPolicyScoped from './rules/aws/TrustPolicyScoped';
import TrustPolicySize from './rules/aws/TrustPolicySize';
import VpcEndpointPolicyNotFullAccess from './rules/aws/VpcEndpointPolicyNotFullAccess';
import VpcEndpointPolicyPresent from './rules/aws/VpcEndpointPolicyPresent';
import VpcFlowLogs from './rules/aws/VpcFlowLogs';
import ClusterQueueFlavorsExist from './rules/k8s/ClusterQueueFlavorsExist';
import ClusterQueueNamespaceScoped from './rules/k8s/ClusterQueueNamespaceScoped';
import ClusterQueueCohortDeclared from './rules/k8s/ClusterQueueCohortDeclared';
import CohortBorrowingLimited from './rules/k8s/CohortBorrowingLimited';
import CoveredResourcesMatchQuotas from './rules/k8s/CoveredResourcesMatchQuotas';
import FlavorsSelectDistinctNodes from './rules/k8s/FlavorsSelectDistinctNodes';
import GpuOperatorIsolation from './rules/k8s/GpuOperatorIsolation';
import GpuTolerationRequiresQueue from './rules/k8s/GpuTolerationRequiresQueue';
import GpuVisibilityAdmissionGuard from './rules/k8s/GpuVisibilityAdmissionGuard';
import LocalQueueTargetsClusterQueue from './rules/k8s/LocalQueueTargetsClusterQueue';
import NoAllowAllNetworkPolicy from './rules/k8s/NoAllowAllNetworkPolicy';
import NoClusterRoleBindingForTenants from './rules/k8s/NoClusterRoleBindingForTenants';
import NoGpuVisibilityEnv from './rules/k8s/NoGpuVisibilityEnv';
import NoHostPath from './rules/k8s/NoHostPath';
import NoWildcardRbacForTenants from './rules/k8s/NoWildcardRbacForTenants';
import NominalQuotaWithinCapacity from './rules/k8s/NominalQuotaWithinCapacity';
import TenantDefaultDenyNetworkPolicy from './rules/k8s/TenantDefaultDenyNetworkPolicy';
import TenantLimitRange from './rules/k8s/TenantLimitRange';
import TenantMetadataServiceDenied from './rules/k8s/TenantMetadataServiceDenied';
import TenantSubjectsOwnNamespace from './rules/k8s/TenantSubjectsOwnNamespace';
import TenantNamespaceIdentity from './rules/k8s/TenantNamespaceIdentity';
import TenantNamespacePodSecurity from './rules/k8s/TenantNamespacePodSecurity';
import TenantPodSpecRestricted from './rules/k8s/TenantPodSpecRestricted';
import TenantResourceQuotaGpu from './rules/k8s/TenantResourceQuotaGpu';
import DatasetGrantsConsistent from './rules/cross/DatasetGrantsConsistent';
import FlavorCapacityMatchesNodeGroups from './rules/cross/FlavorCapacityMatchesNodeGroups';
import GpuQuotaConsistent from './rules/cross/GpuQuotaConsistent';
import ServiceAccountRoleOwnTenant from './rules/cross/ServiceAccountRoleOwnTenant';
import EffectiveAccessMatchesIntent from './rules/cross/EffectiveAccessMatchesIntent';

export const RULES: readonly Rule[] = [
  ArchiveBucketObjectLock,
  ArchiveBucketVersioning,
  BucketPolicySize,
  EfsCmkEncryption,
  EksControlPlaneLogging,
  EksPrivateEndpoint,
  EksSecretsEncryption,
  EnclaveClassificationConsistent,
  FsxCmkEncryption,
  KeyPolicySize,
  KmsKeyRotation,
  LogGroupCmkEncryption,
  LogGroupRetention,
  ManagedPolicyAttachments,
  ManagedPolicySize,
  NoDataServiceWildcardAction,
  OneBucketPolicyPerBucket,
  NoInternetGatewayInRestrictedEnclave,
  NodeMetadataServiceV2,
  NodeVolumeCmkEncryption,
  NoLongLivedIamCredentials,
  NoNatGatewayInRestrictedEnclave,
  NoOpenIngressInRestrictedEnclave,
  NetworkAclOpenInboundEphemeralOnly,
  NoPublicSubnetInRestrictedEnclave,
  NoStarResourceWithDataActions,
  PodIdentityAssociationOwnTenant,
  ResourcePolicyNotPublic,
  RoleInlinePolicySize,
  RoleNameLength,
  S3AccessLogging,
  S3BucketCmkEncryption,
  S3MinimumTlsVersion,
  S3PublicAccessBlock,
  S3TlsOnly,
  SecurityGroupRuleCount,
  StackOutputCount,
  StackParameterCount,
  StackResourceCount,
  StatefulDeletionPolicyRetain,
  StatefulUpdateReplacePolicyRetain,
  TemplateSize,
  TenantGrantTimeBound,
  TenantRoleIdentity,
  TenantRolePermissionBoundary,
  TenantRoleTrustOwnNamespace,
  TrustPolicyScoped,
  TrustPolicySize,
  VpcEndpointPolicyNotFullAccess,
  VpcEndpointPolicyPresent,
  VpcFlowLogs,
  ClusterQueueFlavorsExist,
  ClusterQueueNamespaceScoped,
  CohortBorrowingLimited,
  ClusterQueueCohortDeclared,
  CoveredResourcesMatchQuotas,
  FlavorsSelectDistinctNodes,
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
  TenantSubjectsOwnNamespace,
  TenantNamespaceIdentity,
  TenantNamespacePodSecurity,
  TenantPodSpecRestricted,
  TenantResourceQuotaGpu,
  DatasetGrantsConsistent,
  FlavorCapacityMatchesNodeGroups,
  GpuQuotaConsistent,
  ServiceAccountRoleOwnTenant,
  EffectiveAccessMatchesIntent,
];

/** The rules that judge a cloud assembly alone (run inside CDK synthesis too). */
export const AWS_RULES: readonly Rule[] = RULES.filter((r) => r.target === 'aws');

