/** NVIDIA GPU Operator `nvidia.com/v1` ClusterPolicy (operator v26.7), the fields the platform sets. */
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { customResource, type CustomResourceProps } from './api-object';

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

/** The operands the CRD requires; each is at least `{ enabled }`. */
export interface Operand {
  readonly enabled?: boolean;
  readonly env?: readonly EnvVar[];
}

export interface ClusterPolicySpec {
  readonly operator: { readonly defaultRuntime: 'containerd' | 'crio' | 'docker' };
  readonly daemonsets: {
    readonly priorityClassName?: string;
    readonly tolerations?: ReadonlyArray<{ readonly key: string; readonly operator: 'Exists' | 'Equal'; readonly effect: string }>;
  };
  readonly driver: Operand;
  readonly toolkit: Operand;
  readonly devicePlugin: Operand & { readonly config?: { readonly name: string; readonly default: string } };
  readonly dcgm: Operand;
  readonly dcgmExporter: Operand;
  readonly gfd: Operand;
  readonly nodeStatusExporter: Operand;
  readonly mig: { readonly strategy: 'none' | 'single' | 'mixed' };
  readonly migManager: Operand & { readonly config?: { readonly name: string; readonly default: 'all-disabled' } };
  readonly validator?: { readonly plugin?: { readonly env?: readonly EnvVar[] } };
}

export const clusterPolicy = (scope: Construct, id: string, props: CustomResourceProps<ClusterPolicySpec>): ApiObject =>
  customResource(scope, id, { apiVersion: 'nvidia.com/v1', kind: 'ClusterPolicy' }, props);
