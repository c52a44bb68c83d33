// One temporary folder per test run: jest's global setup points TMPDIR (and so os.tmpdir() in
// every worker and every process the tests start) at a fresh folder, and global teardown removes
// it, with whatever a test, CDK (an App without outdir writes to a temporary folder) or the CLI
// left there. A run that was killed leaves its folder; the next run removes those of dead runs.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PREFIX = 'genesis-jest-';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function sweep(parent) {
  for (const name of fs.readdirSync(parent)) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (m && !alive(Number(m[1]))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

async function setup() {
  const parent = os.tmpdir();
  sweep(parent);
  const root = fs.mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`));
  process.env.GENESIS_TEST_TMP_ROOT = root;
  process.env.TMPDIR = root;
}

async function teardown() {
  const root = process.env.GENESIS_TEST_TMP_ROOT;
  if (root && path.basename(root).startsWith(PREFIX)) fs.rmSync(root, { recursive: true, force: true });
}

module.exports = { setup, teardown, PREFIX };
