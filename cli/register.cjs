// The require hook of the genesis processes (the CLI, the CDK and cdk8s apps, the AWS workers; the
// Pulumi program keeps tsx's own, see Pulumi.yaml): TypeScript sources run through tsx's hook,
// and the dependencies' JavaScript through Node's own loader.
//
// Why not tsx's hook alone: it also handles every `.js` file, and for each one it scans the source
// for ES module syntax (it can load ESM written in `.js` files of CommonJS packages). Our
// dependencies are CommonJS or declare `"type": "module"`; scanning aws-cdk-lib and cdk-nag
// costs about 0.7 s of CPU in each process that loads them (a partner's one-stack synthesis, the
// AWS workers, `tenant plan`). A package Node refuses to `require` as an ES module
// (ERR_REQUIRE_ESM, before Node 20.19) still goes through tsx, as before.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const nodeLoader = Module._extensions['.js'];
require('tsx/cjs');
const tsxLoader = Module._extensions['.js'];
const dependency = `${path.sep}node_modules${path.sep}`;
// Processes this one starts (the AWS synthesis workers) run under the same hook.
process.env.GENESIS_REQUIRE_HOOK = __filename;

if (tsxLoader !== nodeLoader) {
  Module._extensions['.js'] = function loadJs(module, filename) {
    if (filename.includes(dependency)) {
      try {
        return nodeLoader.call(this, module, filename);
      } catch (e) {
        if (!e || e.code !== 'ERR_REQUIRE_ESM') throw e;
      }
    }
    return tsxLoader.call(this, module, filename);
  };
}
