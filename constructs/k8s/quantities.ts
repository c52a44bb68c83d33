/** Exact Kubernetes quantity strings for CPU millicores and byte counts (no rounding). */

export function formatCpu(millis: number): string {
  if (!Number.isSafeInteger(millis) || millis < 0) throw new Error(`not a CPU amount: ${millis}`);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

const BINARY = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/** The largest binary suffix that divides the amount exactly: 2147483648 -> 2Gi. */
export function formatBytes(bytes: bigint): string {
  if (bytes < 0n) throw new Error(`not a byte amount: ${bytes}`);
  if (bytes === 0n) return '0';
  let value = bytes;
  let suffix = '';
  for (const s of BINARY) {
    if (value % 1024n !== 0n) break;
    value /= 1024n;
    suffix = s;
  }
  return `${value}${suffix}`;
}
