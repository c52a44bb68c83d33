// Preloaded into benchmarked commands (through NODE_OPTIONS, so into their worker processes too):
// on exit, appends the process's peak resident set size (KiB) as a line to the file named by
// GENESIS_BENCH_RSS_FILE.
'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const file = process.env.GENESIS_BENCH_RSS_FILE;
  if (file) fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
