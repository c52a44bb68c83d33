// Preloaded into benchmarked commands (through NODE_OPTIONS, so into their worker processes too):
// on exit, appends the process's peak resident set size (KiB) as a line to the file named by
// GENESIS_BENCH_RSS_FILE, and its CPU time (user + system, microseconds) to GENESIS_BENCH_CPU_FILE.
// A worker thread runs the preload too, and its resource usage is the whole process's: only the
// main thread records.
'use strict';
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');
if (isMainThread)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const rss = process.env.GENESIS_BENCH_RSS_FILE;
    if (rss) fs.appendFileSync(rss, `${usage.maxRSS}\n`);
    const cpu = process.env.GENESIS_BENCH_CPU_FILE;
    if (cpu) fs.appendFileSync(cpu, `${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
