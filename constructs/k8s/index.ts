/**
 * Kubernetes target. Entry points:
 *   synthK8s(platform, outDir, options?)                  write <outDir>/<site>/<cluster>/*.yaml
 *   clusterCharts(app, platform, clusterId, options?)      every chart of a cluster, with file names
 *   clusterChart / gpuOperatorChart / tenantChart          one chart each; chart.toJson() = objects
 */
export * from './charts';
export * from './synth';
export type { AwsStorageRefs, K8sOptions } from './storage';
export { tenantResourcePlan, type TenantResourcePlan } from './resources';
export { clusterContext, type ClusterContext } from './context';
