// Prints one closing line, "N passed, N failed, N skipped", that CI systems can read without
// parsing jest's own summary; before it, one line per skipped test with the reason it carries.
// A suite that skips names its reason in the skipped test's title (see test/support/skip.ts).
'use strict';
const path = require('node:path');

/** The skipped tests of a run: "<file>: <full name>", sorted. */
function skippedLines(results, rootDir = process.cwd(), onlyWithReason = false) {
  const lines = [];
  for (const file of results.testResults || []) {
    for (const t of file.testResults || []) {
      // test.skip and test.todo; not the tests a name filter (-t) left out.
      if (t.status !== 'pending' && t.status !== 'todo') continue;
      // Under -t, the tests the filter left out are pending too: name only those with a reason.
      if (onlyWithReason && !/: skipped because /.test(t.title)) continue;
      const name = [...(t.ancestorTitles || []), t.title].join(' › ');
      lines.push(`${path.relative(rootDir, file.testFilePath)}: ${name}`);
    }
  }
  return lines.sort();
}

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = (globalConfig && globalConfig.rootDir) || process.cwd();
    this.filtered = Boolean(globalConfig && globalConfig.testNamePattern);
  }
  onRunComplete(_contexts, results) {
    for (const line of skippedLines(results, this.rootDir, this.filtered))
      process.stdout.write(`skipped: ${line}\n`);
    process.stdout.write(
      `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
module.exports.skippedLines = skippedLines;
