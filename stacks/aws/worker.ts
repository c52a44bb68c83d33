/**
 * A worker process of parallel AWS synthesis (parallel.ts): takes the platform the parent loaded
 * (or loads it as the parent did) and synthesizes the stacks of its job selectively into the job's
 * folder. The CloudFormation validator reads the stacks the job names: the parent's, asked over
 * the channel when the job says so (cfn-validation-channel.ts), else one in a thread of its own.
 * Usage: node -r ./cli/register.cjs stacks/aws/worker.ts JOB.json
 */
import * as fs from 'node:fs';
import { loadPlatform } from '../../infra/model';
import { synthAws } from './app';
import { startValidatorThread } from './cfn-validation';
import type { WorkerJob } from './parallel';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as WorkerJob;
if (!job.validatorChannel) startValidatorThread();
const platform = job.platform ?? loadPlatform(job.load).platform;
try {
  synthAws(platform, job.outdir, {
    stacks: job.stacks,
    standInDependencies: job.standIns,
    ...(job.validatorChannel ? { validatorChannel: job.validatorChannel } : { validatorThread: true }),
  });
} catch (e) {
  // the parent shows this (parallel.ts): the message, not the line of minified source it came from
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
