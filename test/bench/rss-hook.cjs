// Preloaded into benchmarked commands: on exit, writes the process's peak resident set size (KiB)
// to the file named by GENESIS_BENCH_RSS_FILE.
'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const file = process.env.GENESIS_BENCH_RSS_FILE;
  if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
});
