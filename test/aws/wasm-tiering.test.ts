import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { userSetBudget, WASM_TIERING_BUDGET } from '../../stacks/aws/wasm-tiering';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the WebAssembly tiering budget of the CloudFormation validator', () => {
  it('keeps a budget the user gave node, in either spelling, and nothing else counts as one', () => {
    expect(userSetBudget(['--wasm-tiering-budget=5'])).toBe(true);
    expect(userSetBudget(['--max-semi-space-size=64', '--wasm_tiering_budget=5'])).toBe(true);
    expect(userSetBudget(['--wasm-tiering-budget'])).toBe(true);
    expect(userSetBudget([])).toBe(false);
    expect(userSetBudget(['--max-semi-space-size=64', '--wasm-tiering-budgets=5'])).toBe(false);
  });

  // V8 offers no way to read a flag back; a budget V8 took shows in how WebAssembly is compiled,
  // which no test can time. What a test can see: the flag is valid, so V8 takes it without a word
  // (V8 prints an error for a flag it does not know), and a process that set it still validates.
  it('is a flag this V8 takes', () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `require('v8').setFlagsFromString('--wasm-tiering-budget=${WASM_TIERING_BUDGET}'); console.log('ok')`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });
});
