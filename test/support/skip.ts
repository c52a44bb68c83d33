/**
 * Skipping a suite with its reason: the reason goes into the skipped test's title, so that the
 * summary reporter (test/support/summary-reporter.js) prints it on every run, with any reporter.
 */
export function skipSuite(what: string, reason: string): void {
  test.skip(`${what}: skipped because ${reason}`, () => undefined);
}
