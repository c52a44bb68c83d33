/** Aligned text tables: a header in capitals, text left-aligned, the columns named right-aligned. */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) =>
    `  ${r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')}`.trimEnd(),
  );
}

/** `4`, or `1-4` from the guaranteed to the maximum count. */
export function span(r: { readonly guaranteed: number | string; readonly maximum: number | string }): string {
  return String(r.guaranteed) === String(r.maximum) ? String(r.guaranteed) : `${r.guaranteed}-${r.maximum}`;
}

export function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : '-';
}
