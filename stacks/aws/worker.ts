/**
 * A worker process of parallel AWS synthesis (parallel.ts): loads the platform as the parent did
 * and synthesizes the stacks of its job selectively into the job's folder.
 * Usage: node -r tsx/cjs stacks/aws/worker.ts JOB.json
 */
import * as fs from 'node:fs';
import { loadPlatform } from '../../infra/model';
import { synthAws } from './app';
import type { WorkerJob } from './parallel';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as WorkerJob;
synthAws(loadPlatform(job.load).platform, job.outdir, job.stacks);
