// Samples the resident memory of a process tree: every 50 ms, the sum of the RSS of every
// descendant of the process ROOT_PID (this sampler excluded), from /proc (Linux). On SIGTERM it
// writes the largest sum seen, in KiB, to OUT_FILE and exits. The bench starts it beside each
// command, so the figure is what the command's processes held at once, not the sum of their peaks.
// Usage: node tree-rss.cjs ROOT_PID OUT_FILE
'use strict';
const fs = require('node:fs');

const [rootPid, outFile] = [Number(process.argv[2]), process.argv[3]];
let peakKiB = 0;

/** VmRSS of a process in KiB (0 once it has ended). */
function residentKiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function sample() {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the command name may hold spaces and parentheses: fields after the last ')'
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended between the listing and the read
    }
  }
  let total = 0;
  const stack = [...(children.get(rootPid) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    if (pid !== process.pid) total += residentKiB(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  peakKiB = Math.max(peakKiB, total);
}

const timer = setInterval(sample, 50);
process.on('SIGTERM', () => {
  clearInterval(timer);
  sample();
  fs.writeFileSync(outFile, `${peakKiB}\n`);
  process.exit(0);
});
