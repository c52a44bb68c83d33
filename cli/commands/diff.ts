/** `genesis diff BASE HEAD`: what a change does to access, reachability, privilege, quota and protection. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_EXCEPTIONS_FILE, InputError } from '../../policies';
import { diffOutputs, failsOn, toJson, toMarkdown, toSarifText } from '../../policies/diff';
import { EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, parseOptions, UsageError, type Io } from '../usage';
import { run as synth } from './synth';

export const HELP = `genesis diff BASE HEAD [--json | --sarif] [--fail-on broadening|any|never] [--now YYYY-MM-DD] [--spec FILE] [--exceptions FILE] [--base-exceptions FILE]

Reports what HEAD changes against BASE, in six sections: 1 access and 2 reachability (the
analyses of genesis check, computed from each side's artifacts at --now), 3 privilege (IAM,
RBAC, EKS access entries, cluster-scoped objects), 4 quota and capacity, 5 protection (encryption,
retention, logging, object lock, deletion policies, versioning, public access, exceptions), and
6 every resource change per stack and cluster file, property by property. Each change is
classified broadening, narrowing or neutral, with its reason and witness (file, resource, path).
BASE and HEAD are each an output folder (as genesis synth writes), a spec file, or a git revision
(the spec at that revision, --spec or the embedded default's path, taken with git show); specs
are synthesized first into temporary folders, removed afterwards.
  --json             JSON for CI (stable, sorted) instead of Markdown
  --sarif            SARIF 2.1.0, each result with its baselineState (new, updated, absent)
  --fail-on WHAT     exit 1 when a change is broadening (default), on any change, or never
  --now YYYY-MM-DD   the date specs are synthesized and access is evaluated at (default: today, UTC)
  --spec FILE        the spec's path inside git revisions (default: infra/default/platform.yaml)
  --exceptions FILE  reviewed exceptions in force at HEAD (default: the file at a git revision,
                     else policies/exceptions.yaml when synthesizing)
  --base-exceptions FILE  the same for BASE
Exit codes: 0 nothing matched --fail-on, 1 a change matched it, 2 invalid input or usage.`;

const DEFAULT_SPEC = 'infra/default/platform.yaml';
const FAIL_ON = ['broadening', 'any', 'never'] as const;
type FailOn = (typeof FAIL_ON)[number];

interface Resolved {
  readonly dir: string;
  readonly exceptionsFile?: string;
  readonly exceptionsLabel?: string;
}

/** The default exceptions file, as the repository names it. */
const defaultExceptions = (): string =>
  path.relative(process.cwd(), DEFAULT_EXCEPTIONS_FILE).split(path.sep).join('/');

const isOutput = (p: string): boolean => fs.statSync(p).isDirectory();

function gitShow(rev: string, file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${rev}:./${file.split(path.sep).join('/')}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    });
  } catch {
    return undefined;
  }
}

async function synthesize(
  spec: string,
  out: string,
  now: string | undefined,
  exceptionsFile: string | undefined,
): Promise<void> {
  let log = '';
  const quiet: Io = { out: (t) => (log += t), err: (t) => (log += t) };
  await synth(
    [
      '--spec',
      spec,
      '--out',
      out,
      ...(now ? ['--now', now] : []),
      ...(exceptionsFile ? ['--exceptions', exceptionsFile] : []),
    ],
    quiet,
  );
  if (!fs.existsSync(path.join(out, 'aws')) && !fs.existsSync(path.join(out, 'k8s')))
    throw new InputError(spec, `synthesis wrote nothing:\n${log}`);
}

/** Makes BASE or HEAD an output folder: as it is, synthesized from a spec, or from a spec at a git revision. */
async function resolve(
  arg: string,
  work: string,
  name: string,
  values: { now?: string; spec?: string },
  exceptions: string | undefined,
): Promise<Resolved> {
  if (fs.existsSync(arg) && isOutput(arg)) return { dir: arg, exceptionsFile: exceptions };
  const out = path.join(work, name);
  if (fs.existsSync(arg)) {
    const ex = exceptions ?? (fs.existsSync(DEFAULT_EXCEPTIONS_FILE) ? DEFAULT_EXCEPTIONS_FILE : undefined);
    await synthesize(arg, out, values.now, ex);
    return {
      dir: out,
      exceptionsFile: ex,
      exceptionsLabel: exceptions ?? (ex ? defaultExceptions() : undefined),
    };
  }
  const specPath = values.spec ?? DEFAULT_SPEC;
  const text = gitShow(arg, specPath);
  if (text === undefined)
    throw new UsageError(
      `${name} "${arg}" is not an output folder, a spec file, or a git revision holding ${specPath}`,
    );
  const spec = path.join(work, `${name}-spec${path.extname(specPath) || '.yaml'}`);
  fs.writeFileSync(spec, text);
  let ex = exceptions;
  let label = exceptions;
  if (!ex) {
    const atRev = gitShow(arg, defaultExceptions());
    if (atRev !== undefined) {
      ex = path.join(work, `${name}-exceptions.yaml`);
      label = `${arg}:${defaultExceptions()}`;
      fs.writeFileSync(ex, atRev);
    }
  }
  await synthesize(spec, out, values.now, ex);
  return { dir: out, exceptionsFile: ex, exceptionsLabel: label };
}

export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      json: { type: 'boolean' },
      sarif: { type: 'boolean' },
      'fail-on': { type: 'string' },
      now: { type: 'string' },
      spec: { type: 'string' },
      exceptions: { type: 'string' },
      'base-exceptions': { type: 'string' },
    },
    2,
  );
  if (positionals.length !== 2) throw new UsageError('needs BASE and HEAD');
  if (values.json && values.sarif) throw new UsageError('--json and --sarif exclude each other');
  const failOn = (values['fail-on'] ?? 'broadening') as FailOn;
  if (!FAIL_ON.includes(failOn))
    throw new UsageError(`--fail-on must be broadening, any or never, not "${values['fail-on']}"`);
  if (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.now))
    throw new UsageError(`--now must be a date YYYY-MM-DD, not "${values.now}"`);
  for (const f of [values.exceptions, values['base-exceptions']])
    if (f !== undefined && !fs.existsSync(f)) throw new UsageError(`no such exceptions file "${f}"`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-diff-'));
  try {
    const base = await resolve(positionals[0], work, 'base', values, values['base-exceptions']);
    const head = await resolve(positionals[1], work, 'head', values, values.exceptions);
    const result = diffOutputs(base.dir, head.dir, {
      base: { exceptionsFile: base.exceptionsFile, exceptionsLabel: base.exceptionsLabel, now: values.now },
      head: { exceptionsFile: head.exceptionsFile, exceptionsLabel: head.exceptionsLabel, now: values.now },
    });
    const sides = { base: positionals[0], head: positionals[1] };
    // Under `genesis --json` the report is the `result` of the one JSON object on stdout.
    io.result?.(JSON.parse(toJson(result, sides)));
    io.out(
      values.sarif
        ? toSarifText(result, sides)
        : values.json
          ? toJson(result, sides)
          : toMarkdown(result, sides),
    );
    return failsOn(result, failOn) ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`genesis diff: unreadable input: ${e.message}\n`);
      return EXIT_INVALID;
    }
    throw e;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
