/** Kueue `kueue.x-k8s.io/v1beta2` kinds (Kueue v0.19), the fields the platform sets. */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';
import { customResource, type CustomResourceProps } from './api-object';

export const KUEUE_API = 'kueue.x-k8s.io/v1beta2';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface ResourceFlavorSpec {
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly nodeTaints?: readonly Taint[];
  readonly tolerations?: readonly Toleration[];
}

export interface CohortSpec {
  readonly fairSharing?: { readonly weight: number | string };
}

/** int-or-string: GPUs as integers, CPU and memory as quantity strings. */
export type QuotaValue = number | string;

export interface FlavorQuotas {
  readonly name: string;
  readonly resources: ReadonlyArray<{ readonly name: string; readonly nominalQuota: QuotaValue; readonly borrowingLimit?: QuotaValue; readonly lendingLimit?: QuotaValue }>;
}

export interface ClusterQueueSpec {
  readonly cohortName: string;
  readonly namespaceSelector: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly queueingStrategy: 'StrictFIFO' | 'BestEffortFIFO';
  readonly fairSharing?: { readonly weight: number | string };
  readonly preemption: {
    readonly reclaimWithinCohort: 'Never' | 'LowerPriority' | 'Any';
    readonly withinClusterQueue: 'Never' | 'LowerPriority' | 'LowerOrNewerEqualPriority';
    readonly borrowWithinCohort?: { readonly policy: 'Never' | 'LowerPriority'; readonly maxPriorityThreshold?: number };
  };
  readonly resourceGroups: ReadonlyArray<{ readonly coveredResources: readonly string[]; readonly flavors: readonly FlavorQuotas[] }>;
  /** v1beta2 names admission checks only through a strategy (v1beta1's `admissionChecks` list is gone). */
  readonly admissionChecksStrategy?: { readonly admissionChecks: ReadonlyArray<{ readonly name: string; readonly onFlavors?: readonly string[] }> };
}

export interface LocalQueueSpec {
  readonly clusterQueue: string;
}

/** MultiKueue: how the manager reaches one worker (a kubeconfig in a Secret of Kueue's namespace). */
export interface MultiKueueClusterSpec {
  readonly clusterSource: { readonly kubeConfig: { readonly location: string; readonly locationType: 'Secret' | 'Path' } };
}

/** MultiKueue: the workers (MultiKueueCluster names, in order of preference) a check dispatches to. */
export interface MultiKueueConfigSpec {
  readonly clusters: readonly string[];
}

export interface AdmissionCheckSpec {
  readonly controllerName: string;
  readonly parameters?: { readonly apiGroup: string; readonly kind: string; readonly name: string };
}

/** The API group of Kueue's kinds (an AdmissionCheck's parameters name it). */
export const KUEUE_GROUP = KUEUE_API.split('/')[0];

export const resourceFlavor = (scope: Construct, id: string, props: CustomResourceProps<ResourceFlavorSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'ResourceFlavor' }, props);
export const cohort = (scope: Construct, id: string, props: CustomResourceProps<CohortSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'Cohort' }, props);
export const clusterQueue = (scope: Construct, id: string, props: CustomResourceProps<ClusterQueueSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'ClusterQueue' }, props);
export const localQueue = (scope: Construct, id: string, props: CustomResourceProps<LocalQueueSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'LocalQueue' }, props);

export const multiKueueCluster = (scope: Construct, id: string, props: CustomResourceProps<MultiKueueClusterSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'MultiKueueCluster' }, props);
export const multiKueueConfig = (scope: Construct, id: string, props: CustomResourceProps<MultiKueueConfigSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'MultiKueueConfig' }, props);
export const admissionCheck = (scope: Construct, id: string, props: CustomResourceProps<AdmissionCheckSpec>): ApiObject =>
  customResource(scope, id, { apiVersion: KUEUE_API, kind: 'AdmissionCheck' }, props);

/** WorkloadPriorityClass has `value` and `description` at the top level, not a spec. */
export function workloadPriorityClass(
  scope: Construct,
  id: string,
  props: { readonly metadata: ApiObjectMetadata & { readonly name: string }; readonly value: number; readonly description: string },
): ApiObject {
  return new ApiObject(scope, id, { apiVersion: KUEUE_API, kind: 'WorkloadPriorityClass', metadata: props.metadata, value: props.value, description: props.description });
}
