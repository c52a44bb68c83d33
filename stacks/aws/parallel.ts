/**
 * AWS synthesis on several cores: the tenant stacks are split into contiguous ranges, each range
 * is synthesized selectively (with the site stacks it depends on) in a worker process, and the
 * parts are merged into the assembly one process would write (merge.ts). The output is the same
 * bytes as `synthAws` (test/aws/parallel.test.ts); it pays off from a few hundred tenants, where
 * the CloudFormation validator and template synthesis dominate.
 *
 * Workers take the platform this process loaded (or load it again from the same spec files). Their
 * templates are validated by one CloudFormation validator in this process, which they ask over a
 * channel (cfn-validation-channel.ts): `startAwsParallel` returns when the assembly is written, and
 * the validation goes on while the caller checks it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { PolicyValidationStack } from 'aws-cdk-lib';
import { partnerStackName, siteStackName, tenantStackName } from '../../infra/contract/names';
import type { LoadOptions, Platform } from '../../infra/model';
import { isJsonData } from '../../infra/util/json-data';
import { removeDirWhileWritten } from '../../infra/util/remove-dir';
import type * as App from './app';
import { cfnValidationEnabled } from './cfn-validation';
import { ValidatorService, writeAnswer } from './cfn-validation-channel';
import { mergeAssemblies, mergeValidationReportsInto } from './merge';
import { placeOnAws } from './placement';

/** Environment variable that sets the number of AWS synthesis workers (1: in this process). */
export const AWS_WORKERS_ENV = 'GENESIS_AWS_WORKERS';

/**
 * Below this many tenant stacks, one process is faster than starting workers: each worker starts
 * Node and the CDK and builds the site stacks again. `genesis synth` on 2 vCPUs, in one process and
 * with two workers: 8.7 and 9.0 s at 107 tenants, 15.7 and 13.7 s at 307, 24.0 and 18.6 s at 507.
 */
export const PARALLEL_THRESHOLD = 200;

/** What a worker is asked to do (passed as a JSON file). */
export interface WorkerJob {
  /**
   * The platform as this process loaded it, when it is plain JSON data (it is: the model is what
   * zod parses from YAML): the worker takes it instead of parsing and validating the spec again.
   */
  readonly platform?: Platform;
  readonly load: LoadOptions;
  readonly outdir: string;
  readonly stacks: readonly string[];
  /**
   * The site stacks this job's tenant stacks depend on, not named by the job, are built as empty
   * stand-ins: the first job names and builds them (app.ts, `standInDependencies`).
   */
  readonly standIns?: boolean;
  /** Ask this process to validate the templates; the answer comes in this file (cfn-validation-channel.ts). */
  readonly validatorChannel?: string;
}

/** How many workers to use for a platform: the environment's choice, else the cores when it pays off. */
export function awsWorkers(tenantStacks: number): number {
  const env = Number(process.env[AWS_WORKERS_ENV]);
  if (Number.isInteger(env) && env >= 1) return env;
  return tenantStacks >= PARALLEL_THRESHOLD
    ? Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4))
    : 1;
}

/**
 * Contiguous ranges of the tenant stacks (in app order). The first range also names every site
 * stack and the last every partner stack (they depend on nothing and come last in the app), so
 * the merged assembly lists the stacks in app order; the other ranges build the site stacks as
 * dependencies of their tenant stacks, so each site stack is validated once (cfn-validation.ts).
 */
export function stackRanges(platform: Platform, parts: number): string[][] {
  const placement = placeOnAws(platform);
  const sites = placement.sites.map((s) => siteStackName(s.site.id));
  const partners = placement.partners.map((p) => partnerStackName(p.site.id));
  const tenants = placement.tenants
    .filter((t) => t.clusters.length > 0)
    .map((t) => tenantStackName(t.tenant.id));
  const n = Math.max(1, Math.min(parts, tenants.length));
  const size = Math.ceil(tenants.length / n);
  const ranges = Array.from({ length: n }, (_, i) => tenants.slice(i * size, (i + 1) * size)).filter(
    (r, i) => i === 0 || r.length > 0,
  );
  return ranges.map((r, i) => [
    ...(i === 0 ? sites : []),
    ...r,
    ...(i === ranges.length - 1 ? partners : []),
  ]);
}

/** The young generation of a worker process (see runWorker). */
const WORKER_SEMI_SPACE = '--max-semi-space-size=64';

/** A worker under way: `written` when its assembly is on disk (it asks for validation, or ends). */
export interface RunningWorker {
  readonly written: Promise<void>;
  readonly exited: Promise<void>;
  kill(): void;
}

/**
 * Starts a worker process: `script` (worker.ts, with the job file) under this process's require
 * hook, served over the channel when `served` says by which validator and in which answer file.
 */
export function runWorker(
  script: string,
  args: readonly string[],
  served?: { readonly validator: ValidatorService; readonly answerFile: string },
): RunningWorker {
  // The require hook this process runs under (cli/register.cjs names itself), else tsx's own.
  const hook = process.env.GENESIS_REQUIRE_HOOK ?? require.resolve('tsx/cjs');
  // A larger young generation: a worker allocates short-lived objects by the million (the
  // CDK's construct tree and token resolution), and V8's default semi-space made it
  // scavenge thousands of times. 64 MiB, as the CLI's own process (cli/genesis.cjs): against
  // 32 MiB, `genesis synth` at 1,007 tenants took 3% less time (medians of two sets of three
  // alternating runs) and held 2-18 MiB more at once.
  const child = spawn(process.execPath, [WORKER_SEMI_SPACE, '-r', hook, script, ...args], {
    env: process.env,
    // fd 3: the validation channel (cfn-validation-channel.ts)
    stdio: ['ignore', 'ignore', 'pipe', served ? 'pipe' : 'ignore'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let markWritten: () => void = () => undefined;
  const written = new Promise<void>((resolve) => (markWritten = resolve));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`AWS synthesis worker exited ${code}: ${stderr.trim()}`)),
    );
  });
  const channel = child.stdio[3] as Duplex | null;
  if (served && channel) {
    let pending = '';
    channel.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const request = JSON.parse(pending.slice(0, end)) as { stacks: PolicyValidationStack[] };
        pending = pending.slice(end + 1);
        // the CDK validates once it has written the assembly
        markWritten();
        // the thread writes the answer; a thread that ended without doing so gets its error
        // written (unless the parts are gone: then the synthesis has ended, and the worker with it)
        void served.validator.validate(request.stacks, served.answerFile).then((answer) => {
          try {
            if (!fs.existsSync(served.answerFile)) writeAnswer(served.answerFile, answer);
          } catch {
            // the parts' folder is gone
          }
        });
      }
    });
    channel.on('error', () => undefined);
  }
  return {
    // a worker that ends without asking (no stack to validate, or the validator off) wrote all
    written: Promise.race([written, exited]),
    exited,
    kill: () => void child.kill(),
  };
}

/**
 * Writes the platform's cloud assembly into `outdir`, with `workers` processes when more than
 * one (each taking this platform, or loading it again with `load`), else in this process; resolves
 * when the assembly is written. With workers, the validation of their templates may still be under
 * way (by one validator in this process, cfn-validation-channel.ts): `finished` resolves when it
 * has ended and its report is merged, and rejects if a template fails validation or a worker
 * fails; `abort` stops the workers (the caller needs their validation no more).
 */
export async function startAwsParallel(
  platform: Platform,
  outdir: string,
  load: LoadOptions,
  workers: number,
): Promise<{ finished: Promise<void>; abort: () => void }> {
  const ranges = workers > 1 ? stackRanges(platform, workers) : [];
  if (ranges.length < 2) {
    // loaded here: a parent of workers builds no stack (and starts them sooner without the CDK)
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
    (require('./app') as typeof App).synthAws(platform, outdir, { validatorThread: true });
    return { finished: Promise.resolve(), abort: () => undefined };
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-aws-parts-'));
  const running: RunningWorker[] = [];
  let validator: ValidatorService | undefined;
  const abort = (): void => running.forEach((r) => r.kill());
  // A process that ends meanwhile (an error, Ctrl-C or SIGTERM: the staging clean-up exits) leaves
  // no worker running and no parts behind. The workers just signalled and the validator thread
  // (asked to stop; it runs until the process is gone) may still add a file as the parts go.
  const onExit = (): void => {
    abort();
    validator?.close();
    removeDirWhileWritten(work);
  };
  process.on('exit', onExit);
  // Every worker ended (those still running are stopped) before the validator and the parts go:
  // none is left waiting for an answer.
  const end = async (): Promise<void> => {
    abort();
    await Promise.allSettled(running.map((r) => r.exited));
    validator?.close();
    removeDirWhileWritten(work);
    process.removeListener('exit', onExit);
  };
  const dirs = ranges.map((_, i) => path.join(work, `part-${i}`));
  try {
    // One validator thread on two cores (the other one checks the assembly); one fewer than the
    // cores beyond, up to one per worker.
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    if (cfnValidationEnabled()) validator = new ValidatorService(Math.min(ranges.length, cores - 1));
    const script = path.join(__dirname, 'worker.ts');
    ranges.forEach((stacks, i) => {
      const answerFile = path.join(work, `answer-${i}.json`);
      const job: WorkerJob = {
        ...(isJsonData(platform) ? { platform } : {}),
        load,
        outdir: dirs[i],
        stacks,
        standIns: i > 0,
        ...(validator ? { validatorChannel: answerFile } : {}),
      };
      const jobFile = path.join(work, `job-${i}.json`);
      fs.writeFileSync(jobFile, JSON.stringify(job));
      running.push(runWorker(script, [jobFile], validator ? { validator, answerFile } : undefined));
    });
    await Promise.all(running.map((r) => r.written));
    // every worker has asked: the thread ends after the last answer, and frees its engine
    validator?.end();
    mergeAssemblies(dirs, outdir);
  } catch (e) {
    await end();
    throw e;
  }
  const finished = (async () => {
    try {
      await Promise.all(running.map((r) => r.exited));
      mergeValidationReportsInto(dirs, outdir);
    } finally {
      await end();
    }
  })();
  // awaited by the caller later; a failure before then must not count as unhandled
  finished.catch(() => undefined);
  return { finished, abort };
}
