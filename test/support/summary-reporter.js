// Prints one closing line, "N passed, N failed, N skipped", that CI systems can read without
// parsing jest's own summary.
'use strict';
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stdout.write(`${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
