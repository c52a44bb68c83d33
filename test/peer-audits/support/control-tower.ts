/**
 * AWS Control Tower's proactive controls as a peer audit of the synthesized CloudFormation: the
 * cfn-guard binary and the Control Tower rules bundled by @cdklabs/cdk-validator-cfnguard, run
 * over the `*.template.json` files of a cloud assembly, and the reviewed exceptions of
 * policies/peer-audits/control-tower.yaml.
 *
 * A failure is one control on one resource. A resource is named `<stack>/<construct path>` (the
 * hash-free path CDK records in the assembly metadata, without a trailing `/Resource`), or
 * `<stack>/<logical id>` when the assembly records no path for it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadArtifacts } from '../../../policies';

export const PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
export const RULES_DIR = path.join(PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');
export const EXCEPTIONS_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'policies',
  'peer-audits',
  'control-tower.yaml',
);

/** The bundled cfn-guard for this machine (the package ships Linux and macOS, x86_64 and aarch64). */
export function guardBinary(): string {
  const platform = { linux: 'ubuntu', darwin: 'macos' }[os.platform() as string];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[os.arch() as string];
  if (!platform || !arch) throw new Error(`cfn-guard is not bundled for ${os.platform()}/${os.arch()}`);
  return path.join(PACKAGE_DIR, 'bin', platform, arch, 'cfn-guard');
}

/** Control ids of the bundled rules (CT.S3.PR.1, ...), from their file names. */
export function bundledControls(): Set<string> {
  const ids = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.guard')) ids.add(controlOfFile(e.name));
    }
  };
  walk(RULES_DIR);
  return ids;
}

/** `ct-network-firewall-pr-5.guard` -> `CT.NETWORK-FIREWALL.PR.5`. */
export function controlOfFile(name: string): string {
  const m = /^ct-(.+)-pr-(\d+)\.guard$/.exec(name);
  if (!m) throw new Error(`not a Control Tower rule file: ${name}`);
  return `CT.${m[1].toUpperCase()}.PR.${m[2]}`;
}

/**
 * Runs cfn-guard once over every rule and template, with structured JSON output. Exit 0 (all
 * compliant) and 19 (some not compliant) carry a report; anything else is an error.
 */
export function runGuard(
  templates: readonly string[],
  rules: readonly string[] = [RULES_DIR],
): Promise<unknown[]> {
  if (templates.length === 0) throw new Error('no template to validate');
  const args = [
    'validate',
    ...rules.flatMap((r) => ['--rules', r]),
    ...templates.flatMap((t) => ['--data', t]),
    '--output-format',
    'json',
    '--show-summary',
    'none',
    '--structured',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(guardBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 19)
        return reject(new Error(`cfn-guard exited ${code}: ${err.slice(0, 2000)}`));
      try {
        const json: unknown = JSON.parse(Buffer.concat(out).toString('utf8'));
        if (!Array.isArray(json))
          return reject(new Error('cfn-guard output is not a list of template reports'));
        resolve(json);
      } catch (e) {
        reject(new Error(`cfn-guard output is not JSON: ${(e as Error).message}`));
      }
    });
  });
}

export interface GuardFailure {
  readonly control: string;
  /** The cfn-guard rule name, e.g. kms_create_grant_aws_service_check. */
  readonly rule: string;
  readonly template: string;
  readonly logicalId: string;
  /** `<stack>/<construct path or logical id>`. */
  readonly resource: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const CONTROL = /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/;

/**
 * Each (control, resource) a report says is not compliant. A not-compliant rule nests rules and
 * clauses; the control id is in the custom message of the nearest enclosing rule, the resource in
 * every `/Resources/<id>/...` path a failing clause traversed to.
 */
export function failuresOf(
  reports: readonly unknown[],
  resourceName: (template: string, logicalId: string) => string,
): GuardFailure[] {
  const seen = new Map<string, GuardFailure>();
  for (const report of reports) {
    if (!isObject(report) || typeof report.name !== 'string')
      throw new Error('a cfn-guard report has no template name');
    const template = path.basename(report.name);
    const failing = report.not_compliant;
    for (const entry of Array.isArray(failing) ? failing : isObject(failing) ? Object.values(failing) : []) {
      const top = isObject(entry) && isObject(entry.Rule) ? entry.Rule : undefined;
      if (!top || typeof top.name !== 'string')
        throw new Error(`${template}: a not-compliant entry is not a rule`);
      const rule = top.name;
      const found: Array<{ control?: string; logicalId: string }> = [];
      collect(entry, undefined, found);
      if (found.length === 0)
        throw new Error(`${template}: rule ${rule} is not compliant on no resource that could be read`);
      for (const f of found) {
        const control = f.control ?? rule;
        const failure = {
          control,
          rule,
          template,
          logicalId: f.logicalId,
          resource: resourceName(template, f.logicalId),
        };
        seen.set(`${control}|${template}|${f.logicalId}`, failure);
      }
    }
  }
  return [...seen.values()].sort((a, b) => cmp(a.control, b.control) || cmp(a.resource, b.resource));
}

function collect(
  node: unknown,
  control: string | undefined,
  found: Array<{ control?: string; logicalId: string }>,
): void {
  if (Array.isArray(node)) {
    for (const x of node) collect(x, control, found);
    return;
  }
  if (!isObject(node)) return;
  let here = control;
  const rule = isObject(node.Rule) ? node.Rule : undefined;
  if (rule && isObject(rule.messages) && typeof rule.messages.custom_message === 'string')
    here = CONTROL.exec(rule.messages.custom_message)?.[1] ?? here;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'path' && typeof v === 'string') {
      const m = /^\/Resources\/([^/[]+)/.exec(v);
      if (m) found.push({ control: here, logicalId: m[1] });
    } else collect(v, here, found);
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Resource names for the stacks of a synthesized output folder (DIR/aws is the cloud assembly). */
export function resourceNamer(outDir: string): (template: string, logicalId: string) => string {
  const stacks = new Map((loadArtifacts(outDir).aws?.stacks ?? []).map((s) => [path.basename(s.file), s]));
  return (template, logicalId) => {
    const s = stacks.get(template);
    if (!s) return `${template.replace(/\.template\.json$/, '')}/${logicalId}`;
    return `${s.stackName}/${s.constructPaths.get(logicalId) ?? logicalId}`;
  };
}

export interface PeerException {
  readonly control: string;
  /** `<stack>/<construct path>`; `*` matches any run of characters within one path segment. */
  readonly resource: string;
  readonly reason: string;
  readonly owner: string;
}

const KEYS = ['control', 'resource', 'reason', 'owner'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

/** Reads the reviewed exceptions strictly: every problem of the file at once, or the entries. */
export function loadExceptions(file: string, known: ReadonlySet<string>): PeerException[] {
  const doc: unknown = parse(fs.readFileSync(file, 'utf8'));
  const problems: string[] = [];
  const list = isObject(doc) ? doc.exceptions : undefined;
  if (!isObject(doc) || Object.keys(doc).some((k) => k !== 'exceptions') || !Array.isArray(list))
    throw new Error(`${file}: must hold only a list "exceptions"`);
  const out: PeerException[] = [];
  const keys = new Set<string>();
  list.forEach((e, i) => {
    const at = `${file}: exceptions[${i}]`;
    if (!isObject(e)) {
      problems.push(`${at}: not a mapping`);
      return;
    }
    for (const k of Object.keys(e)) if (!KEYS.includes(k)) problems.push(`${at}: unknown key "${k}"`);
    for (const k of KEYS)
      if (typeof e[k] !== 'string' || (e[k] as string).trim() === '')
        problems.push(`${at}: "${k}" must be a non-empty string`);
    const { control, resource, reason, owner } = e as Record<string, string>;
    if (typeof control === 'string' && !known.has(control))
      problems.push(`${at}: "${control}" is not a bundled Control Tower control`);
    if (typeof resource === 'string' && !/^[A-Za-z][A-Za-z0-9*-]*\/\S+$/.test(resource))
      problems.push(`${at}: resource "${resource}" is not <stack>/<construct path>`);
    if (typeof reason === 'string' && reason.trim().length < 80)
      problems.push(
        `${at}: the reason is too short to review (${reason.trim().length} characters, at least 80)`,
      );
    if (typeof owner === 'string' && !EMAIL.test(owner))
      problems.push(`${at}: owner "${owner}" is not an email address`);
    const k = `${control}|${resource}`;
    if (keys.has(k)) problems.push(`${at}: a second entry for ${control} on ${resource}`);
    keys.add(k);
    out.push({ control, resource, reason, owner });
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return out;
}

/** Whether an exception's resource pattern names a resource. */
export function matches(pattern: string, resource: string): boolean {
  const re = pattern
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${re}$`).test(resource);
}

export interface Verdict {
  /** Failures no exception explains: fix them, or add a reviewed exception. */
  readonly unexplained: readonly GuardFailure[];
  /** Exceptions that match no failure any more: remove them. */
  readonly stale: readonly PeerException[];
}

export function judge(failures: readonly GuardFailure[], exceptions: readonly PeerException[]): Verdict {
  const covers = (e: PeerException, f: GuardFailure) =>
    e.control === f.control && matches(e.resource, f.resource);
  return {
    unexplained: failures.filter((f) => !exceptions.some((e) => covers(e, f))),
    stale: exceptions.filter((e) => !failures.some((f) => covers(e, f))),
  };
}

/** One line per failure, for a test's failure message. */
export const describeFailure = (f: GuardFailure): string =>
  `${f.control} on ${f.resource} (${f.template} ${f.logicalId}, rule ${f.rule})`;
