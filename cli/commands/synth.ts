/** `genesis synth`: validate, write every target's artifacts, check them, then publish at once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Policies from '../../policies';
import type * as Conformance from '../../policies/conformance';
import type * as K8sSynth from '../../stacks/k8s/synth';
import type * as AwsApp from '../../stacks/aws/app';
import type * as AwsOutputs from '../../stacks/aws/outputs';
import type * as CfnValidation from '../../stacks/aws/cfn-validation';
import { SCHEMAS_ENV } from '../../policies/conformance/env';
import { defaultNow, loadPlatform, SpecError, type LoadOptions, type Platform } from '../../infra/model';
import { awsWorkers, startAwsParallel } from '../../stacks/aws/parallel';
import { writeDirAtomically, yieldToSignals } from '../../infra/util/atomic-dir';
import { stableJson } from '../../infra/util/stable-json';
import { EXIT_FINDINGS, parseOptions, warn, type Io } from '../usage';
import { parseShard, shardPlatform } from '../shard';
import { SPEC_OPTIONS } from './validate';

/*
 * The targets, the policy engine and the conformance check are loaded when first used, not when
 * this module is: from a few hundred tenants the AWS stacks are built by worker processes, which
 * then start as soon as the platform is loaded (about 0.8 s earlier), and load their modules
 * while this process loads the rest. The parent of those workers never builds a stack itself.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use (above) */
const policies = (): typeof Policies => require('../../policies') as typeof Policies;
const conformanceCheck = (): typeof Conformance =>
  require('../../policies/conformance') as typeof Conformance;
const k8sSynth = (): typeof K8sSynth => require('../../stacks/k8s/synth') as typeof K8sSynth;
const awsApp = (): typeof AwsApp => require('../../stacks/aws/app') as typeof AwsApp;
const awsOutputs = (): typeof AwsOutputs => require('../../stacks/aws/outputs') as typeof AwsOutputs;
const cfnValidation = (): typeof CfnValidation =>
  require('../../stacks/aws/cfn-validation') as typeof CfnValidation;
/* eslint-enable @typescript-eslint/no-require-imports */

export const HELP = `genesis synth [--spec FILE] [--tenants DIR] [--now YYYY-MM-DD] [--out DIR] [--exceptions FILE] [--aws-outputs FILE] [--shard K/N] [--site SITE]

Validates the spec, then writes into --out (default: dist/):
  platform.json            the normalised spec (defaults filled in, keys sorted)
  aws/                     the CDK cloud assembly: a CloudFormation template per stack
  k8s/<site>/<cluster>/    Kubernetes manifests, one chart per file
  report/                  the policy check of aws/ and k8s/ (as \`genesis check\` writes it)
On EKS clusters, the EFS and FSx StorageClasses need ids that AWS assigns at deploy time: pass
the outputs of the site stacks with --aws-outputs (the file \`cdk deploy --outputs-file\` writes);
without it those classes are left out and named. When $${SCHEMAS_ENV} is set, every manifest is also validated strictly against the Kubernetes
OpenAPI definitions and CRDs found there. The folder is replaced only when synthesis succeeds;
policy findings at error severity still publish it (so the report can be read) and exit 1.
With --shard K/N (and/or --site SITE) the whole spec is validated, then only the tenants of range
K of N (of that site) are synthesized and checked, with everything shared; join the reports of
all shards with \`genesis merge\` (test/bench/shard.sh shows the recipe).`;

/** Deploy-time facts that some steps need, when the operator has them. */
export interface SynthInputs {
  /** Stack name -> output key -> value, as `cdk deploy --outputs-file` writes them. */
  readonly awsOutputs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** How the platform was loaded, for worker processes that load it again. */
  readonly load?: LoadOptions;
  /** Receives the manifests the Kubernetes step writes, by path in the folder, with their documents. */
  readonly written?: Policies.ParsedManifests;
  /**
   * Receives work a step leaves under way when it returns (the validation of templates written
   * by AWS workers): awaited before the output is published, after the policy check.
   */
  readonly pending: Array<{ readonly finished: Promise<void>; readonly abort: () => void }>;
}

/** One synthesis step: writes its artifacts under the staging folder. */
export type SynthStep = (
  platform: Platform,
  staging: string,
  io: Io,
  inputs: SynthInputs,
) => Promise<void> | void;

export const STEPS: ReadonlyArray<{ name: string; run: SynthStep }> = [
  {
    name: 'platform.json',
    run: (platform, staging) => fs.writeFileSync(path.join(staging, 'platform.json'), stableJson(platform)),
  },
  {
    name: 'aws',
    // In worker processes from a few hundred tenants (GENESIS_AWS_WORKERS), the same bytes.
    // The workers' templates are validated while the policy check reads them (`pending`).
    run: async (platform, staging, _io, inputs) => {
      if (!inputs.load)
        return void awsApp().synthAws(platform, path.join(staging, 'aws'), { validatorThread: true });
      const workers = awsWorkers(platform.tenants.length);
      inputs.pending.push(await startAwsParallel(platform, path.join(staging, 'aws'), inputs.load, workers));
    },
  },
  {
    name: 'k8s',
    run: (platform, staging, io, inputs) => {
      const aws = inputs.awsOutputs
        ? awsOutputs().storageRefsFromOutputs(platform, inputs.awsOutputs)
        : undefined;
      // The check takes each file's documents from the objects just written, not from a parse of
      // the text (it still reads the text, and parses any file whose bytes differ).
      const received = (file: string, objects: readonly unknown[], text: string, plain: boolean): void => {
        const shown = `k8s/${file}`;
        const documents = policies().writtenDocuments(text, shown, objects, plain);
        if (documents) inputs.written?.set(shown, { text, documents });
      };
      const { unresolved } = k8sSynth().synthK8s(
        platform,
        path.join(staging, 'k8s'),
        aws ? { aws } : {},
        {},
        { received },
      );
      for (const u of unresolved) io.err(`k8s: not written, needs deploy-time ids: ${u}\n`);
    },
  },
];

/** Strict schema conformance of the manifests, when the upstream schemas are available. */
function conformance(staging: string, io: Io): number {
  const schemasDir = process.env[SCHEMAS_ENV];
  if (!schemasDir) {
    io.err(
      `conformance: skipped, ${SCHEMAS_ENV} is not set (point it at the upstream Kubernetes and CRD schemas)\n`,
    );
    return 0;
  }
  const problems = conformanceCheck().validateManifests(path.join(staging, 'k8s'), schemasDir);
  for (const p of problems)
    io.err(`conformance: k8s/${p.file}: ${p.object}${p.path ? ` ${p.path}` : ''}: ${p.message}\n`);
  return problems.length;
}

/** Reads `cdk deploy --outputs-file` JSON: an object of stacks, each an object of strings. */
function readAwsOutputs(file: string, platform: Platform): NonNullable<SynthInputs['awsOutputs']> {
  const problem = (message: string, at = '(file)'): SpecError => new SpecError([{ file, path: at, message }]);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw problem(
      e instanceof SyntaxError
        ? `is not JSON: ${e.message}`
        : `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw problem('must map stack names to their outputs, as `cdk deploy --outputs-file` writes');
  for (const [stack, outputs] of Object.entries(data)) {
    if (!outputs || typeof outputs !== 'object' || Array.isArray(outputs))
      throw problem('must map output names to values', stack);
    for (const [key, value] of Object.entries(outputs))
      if (typeof value !== 'string') throw problem('must be a string', `${stack}.${key}`);
  }
  const outputs = data as Record<string, Record<string, string>>;
  try {
    awsOutputs().storageRefsFromOutputs(platform, outputs);
  } catch (e) {
    throw problem((e as Error).message);
  }
  return outputs;
}

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, {
    ...SPEC_OPTIONS,
    out: { type: 'string' },
    exceptions: { type: 'string' },
    'aws-outputs': { type: 'string' },
    shard: { type: 'string' },
    site: { type: 'string' },
  });
  const shard = parseShard(values.shard, values.site);
  const loaded = loadPlatform({ spec: values.spec, tenantsDir: values.tenants, now: values.now });
  for (const w of loaded.warnings) warn(io, w);
  const platform = shard ? shardPlatform(loaded.platform, shard) : loaded.platform;
  // Synthesized in this process: the CloudFormation validator gets ready while the app is built.
  if (shard || awsWorkers(platform.tenants.length) <= 1) cfnValidation().startValidatorThread();
  const load = { spec: values.spec, tenantsDir: values.tenants, now: values.now ?? defaultNow() };
  // a shard synthesizes in this process (workers would load the whole platform)
  const written: Policies.ParsedManifests = new Map();
  const pending: SynthInputs['pending'] = [];
  const inputs: SynthInputs = {
    written,
    pending,
    ...(shard ? {} : { load }),
    ...(values['aws-outputs'] ? { awsOutputs: readAwsOutputs(values['aws-outputs'], platform) } : {}),
  };
  const out = values.out ?? 'dist';
  const build = async (staging: string): Promise<number> => {
    io.progress?.(`synth: ${STEPS.map((step) => step.name).join(', ')}`);
    // The steps write separate folders: the Kubernetes step runs while AWS workers do. Each is
    // waited for, so that none writes into the staging folder after a failure has removed it.
    const steps = await Promise.allSettled(
      STEPS.map(async (step) => step.run(platform, staging, io, inputs)),
    );
    const failed = steps.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await yieldToSignals();
    io.progress?.('synth: conformance');
    const nonConforming = conformance(staging, io);
    await yieldToSignals();
    io.progress?.('synth: policy check');
    const { runChecks, writeReport, summaryTable, errorLines, exitCodeOf, DEFAULT_EXCEPTIONS_FILE } =
      policies();
    const exceptionsFile =
      values.exceptions ?? (fs.existsSync(DEFAULT_EXCEPTIONS_FILE) ? DEFAULT_EXCEPTIONS_FILE : undefined);
    const result = runChecks(staging, {
      parsed: written,
      exceptionsFile,
      now: values.now ?? (process.env.GENESIS_NOW || undefined),
    });
    // The report names no output path, so that the same spec gives the same bytes wherever written.
    await writeReport(staging, result, '.');
    // Templates that fail validation fail the synthesis, as they do when validated before the check.
    await Promise.all(pending.map((p) => p.finished));
    io.out(summaryTable(result));
    io.out(errorLines(result));
    const s = result.summary;
    io.out(
      `${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.suppressed} suppressed\n`,
    );
    if (nonConforming > 0) io.err(`${nonConforming} manifest conformance problem(s)\n`);
    io.result?.({ platform: platform.metadata.name, out, summary: s, nonConforming });
    return nonConforming > 0 ? EXIT_FINDINGS : exitCodeOf(result);
  };
  const code = await writeDirAtomically(out, async (staging) => {
    try {
      return await build(staging);
    } catch (e) {
      // AWS workers still validating are not needed any more
      for (const p of pending) p.abort();
      throw e;
    }
  });
  io.out(`synthesized ${platform.metadata.name} into ${out}/\n`);
  return code;
}
