/**
 * Runs the Genesis Pulumi program under `pulumi.runtime.setMocks` (no CLI, no engine, no cluster)
 * and records every resource registration with its resolved inputs.
 *
 * Mocks are installed before the program module is loaded, and every output the program returns
 * is awaited through its promise, with a check that it is known: an output that never resolves
 * makes the test fail (time out), it never makes it pass.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';

export const PROJECT = 'genesis';
export const ORG = 'acme';

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

export interface StackRun {
  readonly registrations: readonly Registration[];
  readonly outputs: Record<string, unknown>;
  /** Warnings the program logged (`pulumi.log.warn`; printed to the console under mocks). */
  readonly warnings: readonly string[];
}

export const STACK_REFERENCE = 'pulumi:pulumi:StackReference';
export const CONFIG_GROUP = 'kubernetes:yaml/v2:ConfigGroup';
export const K8S_PROVIDER = 'pulumi:providers:kubernetes';

let registrations: Registration[] = [];
/** Fully qualified stack name -> outputs, served to StackReferences. */
let stacks: Record<string, Record<string, unknown>> = {};

const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
    if (args.type === STACK_REFERENCE) {
      const name = String(args.inputs.name);
      return { id: name, state: { name, outputs: stacks[name] ?? {}, secretOutputNames: [] } };
    }
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call(args) {
    throw new Error(`the program made an unexpected call: ${args.token}`);
  },
};

type Program = () => Promise<Record<string, unknown>>;
let program: Program | undefined;

function loadProgram(): Program {
  if (!program) {
    // The entry module (Pulumi.yaml `main`), loaded only once mocks are in place.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    program = require(path.resolve(__dirname, '../../../stacks/pulumi')) as Program;
    if (typeof program !== 'function')
      throw new Error('stacks/pulumi must export the program function (`export =`)');
  }
  return program;
}

interface OutputInternals<T> {
  promise(withUnknowns?: boolean): Promise<T>;
  isKnown: Promise<boolean>;
}

/** The value of an output, failing if it is unknown or rejected. */
export async function settle<T>(value: pulumi.Input<T>): Promise<T> {
  const out = pulumi.output(value) as unknown as OutputInternals<T>;
  const [v, known] = await Promise.all([out.promise(), out.isKnown]);
  if (!known) throw new Error('output is unknown');
  return v;
}

/** Deeply settles a map of outputs (arrays of outputs included). */
async function settleAll(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs).map(async ([k, v]) => [k, await settle(v as pulumi.Input<unknown>)] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * Runs the program as stack `stack` with `config` (keys without the `genesis:` prefix) and the
 * given outputs of other stacks.
 */
export async function runStack(
  stack: string,
  config: Record<string, string>,
  otherStacks: Record<string, Record<string, unknown>> = {},
  preview = false,
): Promise<StackRun> {
  registrations = [];
  stacks = otherStacks;
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, preview, ORG);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`genesis:${k}`, v])),
  );
  const warnings: string[] = [];
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  });
  try {
    const outputs = await settleAll(await loadProgram()());
    return { registrations: [...registrations], outputs, warnings };
  } finally {
    warn.mockRestore();
  }
}

/** Runs a stack that must fail, and returns the error and what was registered before it. */
export async function failStack(
  stack: string,
  config: Record<string, string>,
  otherStacks: Record<string, Record<string, unknown>> = {},
): Promise<{ error: Error; registrations: readonly Registration[] }> {
  try {
    await runStack(stack, config, otherStacks);
  } catch (e) {
    return { error: e as Error, registrations: [...registrations] };
  }
  throw new Error(`stack ${stack} was expected to fail`);
}
