/**
 * Kubernetes construct library: the charts every Kubernetes target composes (the cdk8s app in
 * stacks/k8s writes them to files; the Pulumi program in stacks/pulumi applies them). Entry points:
 *   clusterCharts(app, platform, clusterId, options?)      every chart of a cluster, with file names
 *   clusterChart / gpuOperatorChart / tenantChart          one chart each; chart.toJson() = objects
 */
export * from './charts';
export type { AwsStorageRefs, K8sOptions } from './storage';
export { tenantResourcePlan, type TenantResourcePlan } from './resources';
export { clusterContext, type ClusterContext } from './context';
