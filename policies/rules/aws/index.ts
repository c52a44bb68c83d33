/**
 * The AWS pack: rules over the CloudFormation cloud assembly (target aws, run inside CDK synthesis too).
 * One rule per file of this folder, each listed here once under its file name (a test checks it);
 * add a rule: import its file below and add it to the object, in alphabetical order.
 */
import type { RuleDefinition } from '../../engine/types';

import ArchiveBucketObjectLock from './ArchiveBucketObjectLock';
import ArchiveBucketVersioning from './ArchiveBucketVersioning';
import BackupVaultProtected from './BackupVaultProtected';
import BucketPolicySize from './BucketPolicySize';
import DatasetLifecycleKeepsRetention from './DatasetLifecycleKeepsRetention';
import DatasetObjectLockAsDeclared from './DatasetObjectLockAsDeclared';
import DatasetPolicyDeniesPresent from './DatasetPolicyDeniesPresent';
import DatasetReplicationInAccount from './DatasetReplicationInAccount';
import EfsBackedUp from './EfsBackedUp';
import EfsCmkEncryption from './EfsCmkEncryption';
import EksControlPlaneLogging from './EksControlPlaneLogging';
import EksPrivateEndpoint from './EksPrivateEndpoint';
import EksSecretsEncryption from './EksSecretsEncryption';
import EnclaveClassificationConsistent from './EnclaveClassificationConsistent';
import EnclaveReachMatchesIntent from './EnclaveReachMatchesIntent';
import FsxCmkEncryption from './FsxCmkEncryption';
import KeyPolicySize from './KeyPolicySize';
import KmsGrantsOnlyForAwsResources from './KmsGrantsOnlyForAwsResources';
import KmsKeyRotation from './KmsKeyRotation';
import LogGroupCmkEncryption from './LogGroupCmkEncryption';
import LogGroupRetention from './LogGroupRetention';
import ManagedPolicyAttachments from './ManagedPolicyAttachments';
import ManagedPolicySize from './ManagedPolicySize';
import NetworkAclOpenInboundEphemeralOnly from './NetworkAclOpenInboundEphemeralOnly';
import NoDataServiceWildcardAction from './NoDataServiceWildcardAction';
import NoInternetGatewayInRestrictedEnclave from './NoInternetGatewayInRestrictedEnclave';
import NoLongLivedIamCredentials from './NoLongLivedIamCredentials';
import NoNatGatewayInRestrictedEnclave from './NoNatGatewayInRestrictedEnclave';
import NoOpenIngressInRestrictedEnclave from './NoOpenIngressInRestrictedEnclave';
import NoPublicSubnetInRestrictedEnclave from './NoPublicSubnetInRestrictedEnclave';
import NoStarResourceWithDataActions from './NoStarResourceWithDataActions';
import NoUnknownResourceTypes from './NoUnknownResourceTypes';
import NodeMetadataServiceV2 from './NodeMetadataServiceV2';
import NodeVolumeCmkEncryption from './NodeVolumeCmkEncryption';
import OneBucketPolicyPerBucket from './OneBucketPolicyPerBucket';
import PartnerTrustLimitedToManager from './PartnerTrustLimitedToManager';
import PodIdentityAssociationOwnTenant from './PodIdentityAssociationOwnTenant';
import ResourcePolicyNotPublic from './ResourcePolicyNotPublic';
import RestrictedDatasetDataEvents from './RestrictedDatasetDataEvents';
import RoleInlinePolicySize from './RoleInlinePolicySize';
import RoleNameLength from './RoleNameLength';
import S3AccessLogging from './S3AccessLogging';
import S3BucketCmkEncryption from './S3BucketCmkEncryption';
import S3MinimumTlsVersion from './S3MinimumTlsVersion';
import S3PublicAccessBlock from './S3PublicAccessBlock';
import S3TlsOnly from './S3TlsOnly';
import SecurityGroupRuleCount from './SecurityGroupRuleCount';
import StackOutputCount from './StackOutputCount';
import StackParameterCount from './StackParameterCount';
import StackResourceCount from './StackResourceCount';
import StatefulDeletionPolicyRetain from './StatefulDeletionPolicyRetain';
import StatefulUpdateReplacePolicyRetain from './StatefulUpdateReplacePolicyRetain';
import TemplateSize from './TemplateSize';
import TenantGrantTimeBound from './TenantGrantTimeBound';
import TenantRoleIdentity from './TenantRoleIdentity';
import TenantRolePermissionBoundary from './TenantRolePermissionBoundary';
import TenantRoleTrustOwnNamespace from './TenantRoleTrustOwnNamespace';
import TrustPolicyScoped from './TrustPolicyScoped';
import TrustPolicySize from './TrustPolicySize';
import VpcEndpointPolicyNotFullAccess from './VpcEndpointPolicyNotFullAccess';
import VpcEndpointPolicyPresent from './VpcEndpointPolicyPresent';
import VpcFlowLogs from './VpcFlowLogs';

/** File name (without .ts) -> the rule it defines. */
export const AWS_RULE_FILES: Readonly<Record<string, RuleDefinition>> = {
  ArchiveBucketObjectLock,
  ArchiveBucketVersioning,
  BackupVaultProtected,
  BucketPolicySize,
  DatasetLifecycleKeepsRetention,
  DatasetObjectLockAsDeclared,
  DatasetPolicyDeniesPresent,
  DatasetReplicationInAccount,
  EfsBackedUp,
  EfsCmkEncryption,
  EksControlPlaneLogging,
  EksPrivateEndpoint,
  EksSecretsEncryption,
  EnclaveClassificationConsistent,
  EnclaveReachMatchesIntent,
  FsxCmkEncryption,
  KeyPolicySize,
  KmsGrantsOnlyForAwsResources,
  KmsKeyRotation,
  LogGroupCmkEncryption,
  LogGroupRetention,
  ManagedPolicyAttachments,
  ManagedPolicySize,
  NetworkAclOpenInboundEphemeralOnly,
  NoDataServiceWildcardAction,
  NoInternetGatewayInRestrictedEnclave,
  NoLongLivedIamCredentials,
  NoNatGatewayInRestrictedEnclave,
  NoOpenIngressInRestrictedEnclave,
  NoPublicSubnetInRestrictedEnclave,
  NoStarResourceWithDataActions,
  NoUnknownResourceTypes,
  NodeMetadataServiceV2,
  NodeVolumeCmkEncryption,
  OneBucketPolicyPerBucket,
  PartnerTrustLimitedToManager,
  PodIdentityAssociationOwnTenant,
  ResourcePolicyNotPublic,
  RestrictedDatasetDataEvents,
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
};
