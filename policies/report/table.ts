/** The short summary `genesis check` prints. */
import type { CheckResult } from '../engine/checks';

export function summaryTable(result: CheckResult): string {
  const s = result.summary;
  const rows: string[][] = [['pack', 'rules', 'errors', 'warnings', 'undecided', 'suppressed']];
  for (const p of s.packs)
    rows.push([
      p.pack,
      String(p.rules),
      String(p.error),
      String(p.warning),
      String(p.unknown),
      String(p.suppressed),
    ]);
  rows.push([
    'total',
    String(s.rules),
    String(s.error),
    String(s.warning),
    String(s.unknown),
    String(s.suppressed),
  ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = rows.map(fmt);
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return `${lines.join('\n')}\n`;
}

/** One line per open error, for the terminal: rule, resource, file. */
export function errorLines(result: CheckResult, max = 50): string {
  const errors = result.findings.filter((f) => !f.suppression && f.severity === 'error');
  const lines = errors
    .slice(0, max)
    .map(
      (f) =>
        `  ${f.ruleId} ${f.location.resourceKey} (${f.location.file}${f.location.line ? `:${f.location.line}` : ''}): ${f.message}`,
    );
  if (errors.length > max) lines.push(`  ... and ${errors.length - max} more (see report.md)`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
