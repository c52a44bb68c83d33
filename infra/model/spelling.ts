/** Telling a misspelling from another name, for "did you mean ...?" in messages. */

/** Edit distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** The known name closest to `typed`, if it is close enough to be what was meant. */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (
      d <= Math.max(2, Math.floor(name.length / 4)) &&
      (!best || d < best.d || (d === best.d && name < best.name))
    )
      best = { name, d };
  }
  return best?.name;
}
