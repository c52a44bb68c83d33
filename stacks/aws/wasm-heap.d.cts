// Types of wasm-heap.cjs (plain JavaScript, as the validator thread that loads it).

/** Bytes reserved in the validator's WebAssembly memory. */
export declare const RESERVED_BYTES: number;

/** Whether this thread's validator had its heap reserved. */
export declare function heapReserved(): boolean;

/** Runs `run` with the heap of the validator's instance reserved as it is created. */
export declare function withReservedHeap<T>(run: () => T): T;
