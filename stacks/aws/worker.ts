/**
 * A worker process of parallel AWS synthesis (parallel.ts): takes the platform the parent loaded
 * (or loads it as the parent did) and synthesizes the stacks of its job selectively into the job's folder (the CloudFormation
 * validator in a thread of its own, on the stacks the job names: cfn-validation.ts).
 * Usage: node -r ./cli/register.cjs stacks/aws/worker.ts JOB.json
 */
import * as fs from 'node:fs';
import { loadPlatform } from '../../infra/model';
import { synthAws } from './app';
import { startValidatorThread } from './cfn-validation';
import type { WorkerJob } from './parallel';

startValidatorThread();
const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as WorkerJob;
const platform = job.platform ?? loadPlatform(job.load).platform;
synthAws(platform, job.outdir, { stacks: job.stacks, validatorThread: true });
