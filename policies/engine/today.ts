/** Today's date, UTC, as YYYY-MM-DD: what the check and the analyses judge time against by default. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
