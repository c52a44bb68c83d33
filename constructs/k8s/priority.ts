/**
 * Priorities: PriorityClasses for pods (what the scheduler preempts) and Kueue
 * WorkloadPriorityClasses (what Kueue preempts), with the same names and values so a tenant states
 * one priority. Values stay far below the system classes (2,000,000,000 and up).
 */
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ClusterContext } from './context';
import { workloadPriorityClass } from './crds/kueue';
import { DEFAULT_PRIORITY, PRIORITY_LEVELS } from '../../infra/contract/priorities';

export { DEFAULT_PRIORITY, PRIORITY_LEVELS, type PriorityLevel } from '../../infra/contract/priorities';

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
