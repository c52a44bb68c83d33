/**
 * Priorities: PriorityClasses for pods (what the scheduler preempts) and Kueue
 * WorkloadPriorityClasses (what Kueue preempts), with the same names and values so a tenant states
 * one priority. Values stay far below the system classes (2,000,000,000 and up).
 */
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ClusterContext } from './context';
import { workloadPriorityClass } from './crds/kueue';

export interface PriorityLevel {
  readonly name: string;
  readonly value: number;
  readonly description: string;
  /** Low-priority pods wait instead of evicting others. */
  readonly preempts: boolean;
}

export const PRIORITY_LEVELS: readonly PriorityLevel[] = [
  { name: 'genesis-low', value: 1000, description: 'Opportunistic batch work; preempted first, never preempts.', preempts: false },
  { name: 'genesis-standard', value: 10000, description: 'Default for tenant workloads.', preempts: true },
  { name: 'genesis-high', value: 100000, description: 'Deadline-bound campaigns approved by the platform.', preempts: true },
];

/** The level pods get when they name none (Kueue and the scheduler both fall back to it). */
export const DEFAULT_PRIORITY = 'genesis-standard';

export function addPriorityClasses(scope: Construct, ctx: ClusterContext): void {
  for (const level of PRIORITY_LEVELS) {
    new k8s.KubePriorityClass(scope, `priority-${level.name}`, {
      metadata: { name: level.name, labels: ctx.labels() },
      value: level.value,
      globalDefault: level.name === DEFAULT_PRIORITY,
      preemptionPolicy: level.preempts ? 'PreemptLowerPriority' : 'Never',
      description: level.description,
    });
    workloadPriorityClass(scope, `workload-priority-${level.name}`, {
      metadata: { name: level.name, labels: ctx.labels() },
      value: level.value,
      description: level.description,
    });
  }
}
