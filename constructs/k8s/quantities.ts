/** Exact Kubernetes quantity strings for CPU millicores and byte counts (no rounding). */

export function formatCpu(millis: number): string {
  if (!Number.isSafeInteger(millis) || millis < 0) throw new Error(`not a CPU amount: ${millis}`);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

export { formatBytes } from '../../infra/model';
