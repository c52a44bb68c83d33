/** EKS clusters as templates declare them: AWS::EKS::Cluster, or the CDK's custom resource of the same API in lower camel case. */
import { isRecord } from './cfn/template';

export const CLUSTER_TYPES: readonly string[] = ['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster'];

/** A property of the cluster's API shape, by its CloudFormation (PascalCase) name. */
export function clusterProperty(type: string, props: Record<string, unknown>, name: string): unknown {
  if (type === 'AWS::EKS::Cluster') return props[name];
  const config = isRecord(props.Config) ? props.Config : {};
  return config[name.charAt(0).toLowerCase() + name.slice(1)];
}

/** A field of a nested object in either casing. */
export function field(o: unknown, name: string): unknown {
  if (!isRecord(o)) return undefined;
  return o[name] ?? o[name.charAt(0).toLowerCase() + name.slice(1)];
}
