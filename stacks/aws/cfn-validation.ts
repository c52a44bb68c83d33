/**
 * aws-cdk-lib's built-in CloudFormation validator (`CloudFormationValidatePlugin`: every template
 * against the CloudFormation resource schemas), registered by the app instead of by the CDK so
 * that these things change and nothing else:
 *
 * - It validates the stacks a synthesis was asked for. A selective synthesis (`-c stacks=Tenant-x`,
 *   a worker's tenant range) also builds the site stack its tenant stacks depend on, so that the
 *   policy plugins can judge them against it; that stack is not deployed by this synthesis and is
 *   validated where it is asked for (a whole synthesis, the first range of a parallel one).
 * - With `thread: true` the validator runs in a worker thread, which builds the validator's
 *   engine (about 1.4 s of WebAssembly start-up, whatever the templates) while this thread
 *   loads the platform and builds and synthesizes the app: on two cores a partner's one-stack
 *   synthesis no longer waits for it. The plugin keeps an engine built for a set of resource
 *   types while it is asked about a subset; the thread builds it for the types the target creates
 *   (resource-types.ts) and again, before validation, if a template holds another one. The thread runs the same plugin class on the same templates, so the report is the
 *   same; `validate` is synchronous (as CDK calls it) and blocks on the thread's answer.
 * - A worker of a parallel synthesis asks its parent instead (`channel`), whose one thread
 *   validates every worker's templates while the parent checks the assembly they wrote
 *   (cfn-validation-channel.ts).
 *
 * The report carries the plugin's name, so CDK treats it as it treats its own (errors stay
 * errors under `@aws-cdk/core:validateAgainstDefaultRules`, which the app sets). As with the
 * built-in plugin, `CDK_VALIDATION=false` turns it off.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { receiveMessageOnPort } from 'node:worker_threads';
import {
  CfnResource,
  CloudFormationValidatePlugin,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  type PolicyValidationStack,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ChannelValidator, startValidatorWorker } from './cfn-validation-channel';
import { AWS_RESOURCE_TYPES } from './resource-types';
import { tuneWasmTiering } from './wasm-tiering';
import { withReservedHeap } from './wasm-heap.cjs';

/** Whether the CloudFormation validator runs at all (the CDK's own switch). */
export const cfnValidationEnabled = (): boolean => process.env.CDK_VALIDATION !== 'false';

/** The stack a template belongs to, from its file name (`<stack>.template.json`). */
const stackOf = (s: PolicyValidationStack): string => path.basename(s.templatePath, '.template.json');

/** Validates templates: in this thread or in a worker thread. */
interface Validator {
  validate(stacks: PolicyValidationStack[]): PolicyValidationPluginReport;
  readonly version: string;
  /** The resource types about to be validated, for a validator that can get ready for them early. */
  expect?(types: readonly string[]): void;
  close?(): void;
}

/** One validator per process for in-thread validation, as the CDK keeps its own (its engine is costly). */
let shared: CloudFormationValidatePlugin | undefined;
const inThread = (): Validator => {
  tuneWasmTiering();
  const plugin = (shared ??= new CloudFormationValidatePlugin());
  return {
    validate: (stackTemplates) =>
      withReservedHeap(() => plugin.validate({ stackTemplates } as unknown as IPolicyValidationContext)),
    get version() {
      return plugin.version ?? '';
    },
  };
};

interface ThreadAnswer {
  readonly report?: PolicyValidationPluginReport;
  readonly version?: string;
  readonly error?: string;
}

/** A thread started ahead of the app (`startValidatorThread`), for the next app that runs one. */
let started: ThreadValidator | undefined;

/**
 * Starts the validator thread now, so that it gets ready while the platform loads and the app is
 * built; the next `CloudFormationValidation` with `thread: true` uses it.
 */
export function startValidatorThread(): void {
  if (cfnValidationEnabled()) started ??= new ThreadValidator();
}

function takeThread(): ThreadValidator {
  const thread = started ?? new ThreadValidator();
  started = undefined;
  return thread;
}

/** The validator in a worker thread (cfn-validation-thread.cjs), called synchronously. */
class ThreadValidator implements Validator {
  private readonly thread = startValidatorWorker();
  private answeredVersion?: string;
  private closed = false;

  constructor() {
    this.thread.worker.unref();
  }

  expect(types: readonly string[]): void {
    this.thread.port.postMessage({ expect: [...types] });
  }

  validate(stacks: PolicyValidationStack[]): PolicyValidationPluginReport {
    const answer = this.ask({ stacks: stacks.map((s) => ({ ...s })) });
    if (answer.error !== undefined || !answer.report)
      throw new Error(`CloudFormation validator thread: ${answer.error ?? 'no report'}`);
    this.answeredVersion = answer.version;
    return answer.report;
  }

  get version(): string {
    return this.answeredVersion ?? inThread().version;
  }

  close(): void {
    this.closed = true;
    void this.thread.worker.terminate();
  }

  private ask(message: object): ThreadAnswer {
    // A thread serves one synthesis (the CDK validates once per app): a closed one would never answer.
    if (this.closed) return { error: 'the validator thread has served its synthesis already' };
    const { port, signal } = this.thread;
    port.postMessage(message);
    // The thread posts its answer, then stores 1 and notifies; a thread that fails answers with
    // its error whenever it fails (cfn-validation-thread.cjs), so the signal may already be set.
    // It cannot be seen to end otherwise: this thread is blocked, its events wait.
    Atomics.wait(signal, 0, 0);
    Atomics.store(signal, 0, 0);
    const received = receiveMessageOnPort(port);
    return (received?.message ?? { error: this.thread.failure ?? 'no answer' }) as ThreadAnswer;
  }
}

export interface CloudFormationValidationProps {
  /** Validate only these stacks (names); every stack of the assembly when omitted. */
  readonly stacks?: ReadonlySet<string>;
  /**
   * A cloud assembly whose templates stand validated (see `AwsAppOptions.validatedIn`): a template
   * byte for byte the same as its namesake there is not validated again.
   */
  readonly validatedIn?: string;
  /** Run the validator in a worker thread that gets ready while the app is built. @default false */
  readonly thread?: boolean;
  /**
   * Ask the parent process to validate, over the channel of a parallel synthesis's worker, and
   * wait for the answer in this file (cfn-validation-channel.ts).
   */
  readonly channel?: string;
}

/** The CloudFormation validator as a validation plugin of the app (see the file comment). */
export class CloudFormationValidation implements IPolicyValidationPlugin {
  readonly name = CloudFormationValidatePlugin.PLUGIN_NAME;
  private readonly validator: Validator;

  constructor(private readonly props: CloudFormationValidationProps = {}) {
    this.validator = props.channel
      ? new ChannelValidator(props.channel)
      : props.thread
        ? takeThread()
        : inThread();
  }

  get version(): string {
    return this.validator.version;
  }

  /**
   * Lets the thread build the engine again now if `root`'s validated stacks hold a resource type
   * it was not built for (one missing from resource-types.ts); otherwise it is ready or getting so.
   */
  prepare(root: IConstruct): void {
    if (!this.validator.expect) return;
    const known = new Set(AWS_RESOURCE_TYPES);
    const types = new Set<string>();
    for (const c of root.node.findAll())
      if (CfnResource.isCfnResource(c) && this.validates(c.stack.stackName)) types.add(c.cfnResourceType);
    if ([...types].some((t) => !known.has(t))) this.validator.expect([...types].sort());
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = context.stackTemplates.filter(
      (s) => this.validates(stackOf(s)) && !this.validatedBefore(s.templatePath),
    );
    try {
      return stacks.length ? this.validator.validate(stacks) : { success: true, violations: [] };
    } finally {
      this.validator.close?.();
    }
  }

  private validates(stack: string): boolean {
    return !this.props.stacks || this.props.stacks.has(stack);
  }

  /** Validation is a function of the template's bytes: the same bytes need no second reading. */
  private validatedBefore(templatePath: string): boolean {
    if (this.props.validatedIn === undefined) return false;
    const earlier = path.join(this.props.validatedIn, path.basename(templatePath));
    return fs.existsSync(earlier) && fs.readFileSync(earlier).equals(fs.readFileSync(templatePath));
  }
}
