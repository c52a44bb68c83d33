#!/usr/bin/env node
// The `genesis` command. TypeScript sources are run through tsx's require hook (register.cjs), so
// the CLI, the CDK app (cdk.json) and the cdk8s app (cdk8s.yaml) all run the same sources without
// a build step.
'use strict';
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
