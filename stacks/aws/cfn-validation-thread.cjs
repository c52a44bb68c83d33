// The worker thread of cfn-validation.ts: aws-cdk-lib's CloudFormationValidatePlugin, unchanged,
// with its WebAssembly heap reserved in one step when it is first used (wasm-heap.cjs).
// Messages on the port: { expect: [types] } builds the validator's engine for those resource
// types now (by validating a throw-away template that holds one resource of each; the plugin
// keeps an engine that covers the types it is later asked about); { stacks: [...] } validates
// those templates and answers { report, version } or { error }, then stores 1 in the shared
// signal and wakes the caller, which waits on it synchronously; with an `answerFile`, the answer
// is also written there, for a process that waits for it (cfn-validation-channel.ts). { end: true }
// ends the thread.
'use strict';
const { workerData } = require('node:worker_threads');

const { port, signal } = workerData;

/** Answers the caller, which is blocked until the signal is set. */
function answer(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// Whatever fails from here on (loading aws-cdk-lib included) is answered as an error: the caller
// waits synchronously and cannot see the thread end.
const errorText = (e) => (e instanceof Error ? (e.stack ?? e.message) : String(e));
process.on('uncaughtException', (e) => answer({ error: errorText(e) }));

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CloudFormationValidatePlugin } = require('aws-cdk-lib');
const { withReservedHeap } = require('./wasm-heap.cjs');

const plugin = new CloudFormationValidatePlugin();

function warmUp(types) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-cfn-validate-'));
  try {
    const file = path.join(dir, 'WarmUp.template.json');
    const resources = Object.fromEntries(types.map((type, i) => [`R${i}`, { Type: type }]));
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    withReservedHeap(() =>
      plugin.validate({
        stackTemplates: [
          { stackConstructPath: 'WarmUp', templatePath: file, accountId: undefined, region: undefined },
        ],
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes an answer where a waiting process looks for it (cfn-validation-channel.ts): whole, by rename. */
function writeAnswer(file, message) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(message));
  fs.renameSync(`${file}.tmp`, file);
}

port.on('message', (message) => {
  if (message.expect) {
    try {
      warmUp(message.expect);
    } catch {
      // Only a head start: validation proper builds the engine again and reports any problem.
    }
    return;
  }
  // No more requests: the thread ends, and its engine's memory is freed.
  if (message.end) {
    port.close();
    process.exit(0);
  }
  let reply;
  try {
    const report = withReservedHeap(() => plugin.validate({ stackTemplates: message.stacks }));
    reply = { report, version: plugin.version };
  } catch (e) {
    reply = { error: errorText(e) };
  }
  if (message.answerFile) writeAnswer(message.answerFile, reply);
  answer(reply);
});
