/**
 * The CloudFormation validator of a parallel synthesis, served by the parent to its AWS workers
 * (parallel.ts) over a channel (a socket pair on file descriptor 3 of each worker).
 *
 * Why: the validator costs some 10 ms of CPU per tenant template, and each process that runs it
 * compiles its 9 MB WebAssembly engine and builds it (1.4 s, 350 MiB). With a validator thread in
 * every worker, both cores validated while the parent waited, and the policy check started only
 * after them, on one core. Served by one thread in the parent, the engine is built once, and it
 * validates the workers' templates while the parent checks the assembly they wrote: each core has
 * one of the two long jobs.
 *
 * Nothing else changes: a worker's app asks as the CDK asks its plugins, synchronously, and waits
 * (idle) until the answer comes; the thread runs the same plugin on the same template files, so the
 * report, and the worker's validation report built from it by the CDK, are the same.
 *
 * The worker writes its request, `{ stacks }` as one line of JSON, on the channel; the parent hands
 * it to the thread with the file the answer goes to (`{ report, version }` or `{ error }`), which
 * the thread writes as soon as it has validated, and the worker waits for. The answer does not go
 * back over the channel: the parent's event loop is busy with the policy check by then, and a
 * worker that waited for it would hold its memory until the check ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import type { PolicyValidationPluginReport, PolicyValidationStack } from 'aws-cdk-lib';
import { AWS_RESOURCE_TYPES } from './resource-types';
import { tuneWasmTiering } from './wasm-tiering';

/** What the parent answers a validation request. */
export interface ChannelAnswer {
  readonly report?: PolicyValidationPluginReport;
  readonly version?: string;
  readonly error?: string;
}

/** The file descriptor of the channel in a worker (its stdio index in the parent's spawn). */
export const CHANNEL_FD = 3;

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

/** Sleeps `ms` milliseconds without spinning (the worker has nothing else to do). */
const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A worker's side: validation asked of the parent, synchronously. */
export class ChannelValidator {
  private answered?: string;

  /**
   * @param answerFile where the parent's validator writes the answer
   * @param fd the channel to the parent
   * @param parent the parent's process id: a worker whose parent is gone stops waiting
   */
  constructor(
    private readonly answerFile: string,
    private readonly fd: number = CHANNEL_FD,
    private readonly parent: number = process.ppid,
  ) {}

  validate(stacks: PolicyValidationStack[]): PolicyValidationPluginReport {
    writeAll(this.fd, `${JSON.stringify({ stacks })}\n`);
    while (!fs.existsSync(this.answerFile)) {
      if (process.ppid !== this.parent) throw new Error('the parent process ended before answering');
      sleep(10);
    }
    const answer = JSON.parse(fs.readFileSync(this.answerFile, 'utf8')) as ChannelAnswer;
    if (answer.error !== undefined || !answer.report)
      throw new Error(`CloudFormation validator of the parent: ${answer.error ?? 'no report'}`);
    this.answered = answer.version;
    return answer.report;
  }

  /** The validator's version, as the parent's answer gave it (asked after validation). */
  get version(): string {
    return this.answered ?? '';
  }
}

/** Writes an answer where a worker waits for it: whole, by rename (as the thread does). */
export function writeAnswer(file: string, answer: ChannelAnswer): void {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
  fs.renameSync(`${file}.tmp`, file);
}

/** A started validator thread: its port, the signal it stores into after answering, its error. */
export interface ValidatorWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
  failure?: string;
}

/**
 * Starts the validator thread (cfn-validation-thread.cjs), which builds its engine for the types
 * the target creates (resource-types.ts) at once: ahead of the templates it will be asked about.
 */
export function startValidatorWorker(): ValidatorWorker {
  tuneWasmTiering();
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(__dirname, 'cfn-validation-thread.cjs'), {
    workerData: { port: port2, signal },
    transferList: [port2],
  });
  const started: ValidatorWorker = { worker, port: port1, signal };
  // A thread that fails answers with its error (cfn-validation-thread.cjs); this keeps an error
  // event from being unhandled here.
  worker.on('error', (e) => (started.failure = e instanceof Error ? e.message : String(e)));
  port1.postMessage({ expect: [...AWS_RESOURCE_TYPES] });
  return started;
}

/** One validator thread, asked asynchronously (its signal, for a caller that waits, is not read). */
class ValidatorThread {
  private readonly thread = startValidatorWorker();
  private readonly waiting: Array<(answer: ChannelAnswer) => void> = [];
  /** The thread has ended: what is asked of it now is answered with the error at once. */
  ended = false;

  constructor() {
    this.thread.worker.on('exit', () => {
      this.ended = true;
      for (const resolve of this.waiting.splice(0)) resolve({ error: this.failure });
    });
    this.thread.port.on('message', (answer: ChannelAnswer) => this.waiting.shift()?.(answer));
  }

  private get failure(): string {
    return this.thread.failure ?? 'the validator thread ended';
  }

  get load(): number {
    return this.waiting.length;
  }

  validate(stacks: readonly PolicyValidationStack[], answerFile?: string): Promise<ChannelAnswer> {
    if (this.ended) return Promise.resolve({ error: this.failure });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.thread.port.postMessage({ stacks, answerFile });
    });
  }

  end(): void {
    this.thread.port.postMessage({ end: true });
  }

  close(): void {
    this.thread.port.close();
    void this.thread.worker.terminate();
  }
}

/**
 * The parent's side: validator threads, one by default (on two cores, the other one checks), each
 * request to the one with the fewest waiting.
 */
export class ValidatorService {
  private readonly threads: readonly ValidatorThread[];

  constructor(threads = 1) {
    this.threads = Array.from({ length: Math.max(1, threads) }, () => new ValidatorThread());
  }

  /**
   * Validates the templates of a request; also writes the answer to `answerFile` when given, from
   * the thread (whatever this thread is doing).
   */
  validate(stacks: readonly PolicyValidationStack[], answerFile?: string): Promise<ChannelAnswer> {
    const live = this.threads.filter((t) => !t.ended);
    const idle = (live.length ? live : this.threads).reduce((a, b) => (b.load < a.load ? b : a));
    return idle.validate(stacks, answerFile);
  }

  /** No more requests: each thread ends when it has answered those it has, and frees its engine. */
  end(): void {
    for (const t of this.threads) t.end();
  }

  close(): void {
    for (const t of this.threads) t.close();
  }
}
