/**
 * The platform's priority levels: PriorityClasses for pods and Kueue WorkloadPriorityClasses of the
 * same names and values. Tenants may use these and no other (admission and quota); values stay far
 * below the system classes (2,000,000,000 and up).
 */
export interface PriorityLevel {
  readonly name: string;
  readonly value: number;
  readonly description: string;
  /** Low-priority pods wait instead of evicting others. */
  readonly preempts: boolean;
}

export const PRIORITY_LEVELS: readonly PriorityLevel[] = [
  {
    name: 'genesis-low',
    value: 1000,
    description: 'Opportunistic batch work; preempted first, never preempts.',
    preempts: false,
  },
  { name: 'genesis-standard', value: 10000, description: 'Default for tenant workloads.', preempts: true },
  {
    name: 'genesis-high',
    value: 100000,
    description: 'Deadline-bound campaigns approved by the platform.',
    preempts: true,
  },
];

/** The level pods get when they name none (Kueue and the scheduler both fall back to it). */
export const DEFAULT_PRIORITY = 'genesis-standard';
