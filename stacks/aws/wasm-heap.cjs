// The CloudFormation validator's WebAssembly heap, reserved in one step (used wherever the
// validator runs: cfn-validation-thread.cjs, and cfn-validation.ts in this thread).
//
// aws-cdk-lib's validator (`@aws/cloudformation-validate`) is Rust compiled to WebAssembly with
// wasm-bindgen. Its allocator takes memory from the instance one `memory.grow` at a time, mostly
// one 64 KiB page: about 1,800 times while the engine is built (its memory ends near 160 MiB).
// V8 counts each grown memory as new external memory (the whole buffer, not the page it adds), and
// each time that total passes its limit it starts a full garbage collection: about 250 mark-compact
// collections of a 5 MB heap while the engine is built, and more while templates are validated.
// Measured on 2 cores, the engine built and 1,006 tenant templates validated: 17.8-21.5 s of CPU,
// 15.0-15.9 s with the heap reserved; the engine and the first two templates 4.5-5.2 s, 2.0-2.5 s.
//
// The reservation asks the instance's own allocator (wasm-bindgen's `__wbindgen_malloc`, which
// the generated glue calls for every string it passes in) for one block of RESERVED_BYTES and
// frees it at once: the memory grows once, and the allocator serves later requests from the freed
// block. Nothing else changes: the same WebAssembly runs on the same inputs, only its allocations
// land at other addresses (test/aws/wasm-heap.test.ts compares a failing template's reports). The
// pages are not touched until used, so the process holds no more memory than before.
//
// The glue creates its instance when the validator is first used, without exposing it; so
// `withReservedHeap` wraps `WebAssembly.Instance` while it runs the validator and reserves the heap
// of the first instance that has the validator's exports. A validator without them (another
// version of the glue) is left as it is: it runs as before, only slower.
'use strict';

/** Bytes reserved: above what the engine and a thousand templates use (about 170 MiB). */
const RESERVED_BYTES = 256 * 1024 * 1024;

let reserved = false;

/** Whether `exports` are those of the validator's wasm-bindgen module. */
function isValidator(exports) {
  return (
    typeof exports.wasmcompositeengine_new === 'function' &&
    typeof exports.__wbindgen_malloc === 'function' &&
    typeof exports.__wbindgen_free === 'function' &&
    exports.memory instanceof WebAssembly.Memory
  );
}

/** Allocates and frees one block of `bytes` with the instance's allocator; false if it cannot. */
function reserve(exports, bytes) {
  try {
    const ptr = exports.__wbindgen_malloc(bytes, 8);
    if (ptr === 0) return false;
    exports.__wbindgen_free(ptr, bytes, 8);
    return true;
  } catch {
    // The allocator traps when the memory cannot grow: the validator grows it as it goes.
    return false;
  }
}

/**
 * Runs `run` (which uses the validator, creating its instance the first time) with the heap of
 * the validator's instance reserved as it is created; `WebAssembly.Instance` is restored after.
 */
function withReservedHeap(run) {
  if (reserved) return run();
  const Original = WebAssembly.Instance;
  function Instance(module, imports) {
    const instance = new Original(module, imports);
    if (!reserved && isValidator(instance.exports)) reserved = reserve(instance.exports, RESERVED_BYTES);
    return instance;
  }
  Instance.prototype = Original.prototype;
  WebAssembly.Instance = Instance;
  try {
    return run();
  } finally {
    WebAssembly.Instance = Original;
  }
}

/** Whether this thread's validator had its heap reserved. */
const heapReserved = () => reserved;

module.exports = { RESERVED_BYTES, heapReserved, withReservedHeap };
