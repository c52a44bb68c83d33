#!/usr/bin/env node
// The `genesis` command. TypeScript sources are run through tsx's require hook (register.cjs), so
// the CLI, the CDK app (cdk.json) and the cdk8s app (cdk8s.yaml) all run the same sources without
// a build step.
'use strict';

// The commands that synthesize or analyse a whole platform allocate short-lived objects by the
// million; with V8's default semi-spaces (16 MiB) the young generation was collected thousands of
// times: 64 MiB made `genesis synth` at a thousand tenants 5% faster (32 MiB made no difference
// there). A V8 heap is sized when the process starts, so those commands run in a child process
// with larger semi-spaces, which gets the signals this one gets and whose exit this one repeats.
// The AWS workers start with 64 MiB too (stacks/aws/parallel.ts).
const HEAVY = new Set(['synth', 'check', 'diff', 'merge', 'access', 'reach', 'inventory']);
const SEMI_SPACE = '--max-semi-space-size=64';
const sized = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
  a.includes('--max-semi-space-size'),
);
const [command, subcommand] = process.argv.slice(2);
if ((HEAVY.has(command) || (command === 'tenant' && subcommand === 'plan')) && !sized) {
  const { spawn } = require('node:child_process');
  const child = spawn(
    process.execPath,
    [...process.execArgv, SEMI_SPACE, __filename, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (err) => {
    process.stderr.write(`genesis: cannot start: ${err.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.removeListener(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 2);
  });
  return;
}

require('./register.cjs');
const { main } = require('./main.ts');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`genesis: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
