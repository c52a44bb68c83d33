/**
 * How V8 compiles the CloudFormation validator's WebAssembly engine (aws-cdk-lib's
 * `@aws/cloudformation-validate`, 9 MB of code), set once per process before the engine is loaded.
 *
 * V8 compiles every function of a module with its baseline compiler (Liftoff) and recompiles a
 * function with its optimizing compiler (TurboFan) once it has run for a "tiering budget" (about
 * 1.8 MB of executed code by default). Building the engine runs a great deal of code once (it
 * loads the resource schemas and rules), so with the default budget thousands of functions that
 * never run again were optimized: about 2 s of CPU on the background threads, on a machine whose
 * other core was synthesizing. A budget of 200 MB lets the functions that validation runs again
 * and again be optimized and leaves the rest to Liftoff. Measured on 2 cores, the engine built
 * and then a tenant template and the site template validated: 5.0-5.6 s of CPU by default,
 * 3.6-3.8 s with this budget; the engine and 1,000 tenant templates: 15.1 s, 14.1 s. The same
 * WebAssembly runs either way, only compiled by another of V8's tiers, so the reports are the same.
 *
 * It is a process-wide V8 flag; a budget the user gave node (`node --wasm-tiering-budget=N`) is kept.
 */
import * as v8 from 'node:v8';

/** Bytes of executed code after which V8 optimizes a WebAssembly function (V8's default: 1.8 MB). */
export const WASM_TIERING_BUDGET = 200_000_000;

const FLAG = '--wasm-tiering-budget';

let tuned = false;

/** Whether node was given a tiering budget of the user's (V8 reads `_` and `-` alike in flag names). */
export function userSetBudget(execArgv: readonly string[] = process.execArgv): boolean {
  return execArgv.some((a) => a.replace(/_/g, '-').split('=')[0] === FLAG);
}

/** Sets the budget for the WebAssembly compiled from now on in this process (once; see above). */
export function tuneWasmTiering(): void {
  if (tuned) return;
  tuned = true;
  if (!userSetBudget()) v8.setFlagsFromString(`${FLAG}=${WASM_TIERING_BUDGET}`);
}
