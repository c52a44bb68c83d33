/**
 * The stack configuration of the Genesis Pulumi program (namespace `genesis`), read and checked
 * before anything else happens. Every problem is collected and reported at once, each naming the
 * key and the `pulumi config set` command that fixes it; no resource is registered when one is
 * found.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { Id, describeZodIssue, formatPath, isValidIsoDate } from '../../infra/model';
import { countOf, ProblemsError } from '../../infra/util/problems';

/** The config namespace: keys are `genesis:<name>`. */
export const CONFIG_NAMESPACE = 'genesis';

export const MODES = ['baseline', 'tenant'] as const;
export type Mode = (typeof MODES)[number];

/** Every key the program reads, with the sentence shown when a key is unknown. */
export const CONFIG_KEYS = {
  mode: 'what the stack deploys: "baseline" (a cluster\'s own objects) or "tenant" (one tenant\'s objects on one cluster)',
  cluster: 'the id of the cluster in the platform spec',
  tenant: 'tenant mode: the id of the tenant in the platform spec',
  clusterStack: 'tenant mode: the baseline stack of the cluster, e.g. "acme/genesis/le-gpu"',
  spec: 'platform spec file (default: the embedded default platform)',
  tenants: 'folder of partner tenant files merged into the spec',
  now: 'date that grants and agreements are judged against, YYYY-MM-DD (default: today, UTC)',
  kubeconfig: 'kubeconfig file path or contents (default: $KUBECONFIG or ~/.kube/config)',
  context:
    'the kubeconfig context of the cluster (required: a stack never uses whichever context is current)',
  awsStorage:
    "AWS clusters: deploy-time ids of the site's file systems (outputs of the AWS target), for the storage classes and dataset volumes that need them",
  awsOutputs:
    'AWS clusters: the file `cdk deploy --outputs-file` wrote for the site stack; the ids of awsStorage are read from it (set one of the two)',
} as const;
export type ConfigKey = keyof typeof CONFIG_KEYS;

const FileSystemId = z
  .string()
  .regex(/^fs-[0-9a-f]{8,17}$/, { message: 'must be a file system id such as fs-0123456789abcdef0' });

/**
 * Deploy-time ids of an AWS site's storage, as the Kubernetes target takes them (`AwsStorageRefs`
 * of constructs/k8s): set with `pulumi config set --path genesis:awsStorage.<field> <value>`.
 */
export const AwsStorageConfig = z.strictObject({
  fsx: z
    .strictObject({
      subnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, {
        message: 'must be a subnet id such as subnet-0123456789abcdef0',
      }),
      securityGroupIds: z
        .array(
          z.string().regex(/^sg-[0-9a-f]{8,17}$/, {
            message: 'must be a security group id such as sg-0123456789abcdef0',
          }),
        )
        .min(1),
      kmsKeyId: z.string().min(1).optional(),
    })
    .optional(),
  /** file tier id -> EFS file system id. */
  efsFileSystemIds: z.record(Id, FileSystemId).optional(),
  /** parallel-fs tier id -> FSx for Lustre file system. */
  fsxFileSystems: z
    .record(
      Id,
      z.strictObject({
        fileSystemId: FileSystemId,
        dnsName: z.string().min(1),
        mountName: z.string().min(1),
      }),
    )
    .optional(),
});
export type AwsStorageConfig = z.infer<typeof AwsStorageConfig>;

/** Where configuration comes from: the Pulumi stack config in a program, a plain map in tests. */
export interface ConfigSource {
  /** The value of `genesis:<key>`, or undefined when unset. */
  get(key: string): string | undefined;
  /** The names (without namespace) of every `genesis:` key that is set. */
  keys(): string[];
}

interface CommonSettings {
  readonly cluster: string;
  /** Absolute path of the platform spec, or undefined for the embedded default. */
  readonly spec?: string;
  /** Absolute path of the partner tenants folder. */
  readonly tenantsDir?: string;
  readonly now?: string;
  /** Absolute path of a kubeconfig file, or kubeconfig contents. */
  readonly kubeconfig?: string;
  readonly context: string;
  /** AWS clusters: deploy-time storage ids of the cluster's site. */
  readonly awsStorage?: AwsStorageConfig;
  /** AWS clusters: absolute path of the outputs file of `cdk deploy --outputs-file`, read for awsStorage. */
  readonly awsOutputs?: string;
}

export interface BaselineSettings extends CommonSettings {
  readonly mode: 'baseline';
}

export interface TenantSettings extends CommonSettings {
  readonly mode: 'tenant';
  readonly tenant: string;
  /** Name of the cluster's baseline stack, as `pulumi.StackReference` takes it. */
  readonly clusterStack: string;
}

export type Settings = BaselineSettings | TenantSettings;

/** Thrown when the stack configuration is invalid; carries every problem found. */
export class StackConfigError extends ProblemsError {
  constructor(problems: readonly string[]) {
    super(
      `invalid stack configuration (${countOf(problems.length, 'problem')})`,
      problems.map((message) => ({ message })),
    );
    this.name = 'StackConfigError';
  }
}

const key = (name: ConfigKey): string => `${CONFIG_NAMESPACE}:${name}`;
const setHint = (name: ConfigKey, example: string): string => `pulumi config set ${key(name)} ${example}`;

/** `[<org>/][<project>/]<stack>`, each part as Pulumi allows it. */
const STACK_NAME = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]*\/){0,2}[A-Za-z0-9_.-]+$/;

/** Resolves a path from the config against the project directory (where Pulumi.yaml is). */
export function resolveConfigPath(value: string, projectDir: string): string {
  if (value === '~') return os.homedir();
  if (value.startsWith('~/')) return path.join(os.homedir(), value.slice(2));
  return path.resolve(projectDir, value);
}

/** Kubeconfig contents rather than a path: YAML or JSON with more than one line or a brace. */
export function isKubeconfigContents(value: string): boolean {
  return value.includes('\n') || value.trimStart().startsWith('{') || /^\s*apiVersion\s*:/.test(value);
}

function checkId(value: string | undefined, name: ConfigKey, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const parsed = Id.safeParse(value);
  if (!parsed.success) {
    problems.push(`${key(name)} "${value}" is not an id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return undefined;
  }
  return value;
}

type Raw = (name: ConfigKey, trim?: boolean) => string | undefined;

/** Values are trimmed, except kubeconfig contents, which are passed on as written; empty is a problem. */
function rawReader(source: ConfigSource, problems: string[]): Raw {
  return (name, trim = true) => {
    const v = source.get(name);
    if (v === undefined) return undefined;
    if (v.trim() === '') {
      problems.push(
        `${key(name)} is set but empty; set a value or remove it with \`pulumi config rm ${key(name)}\``,
      );
      return undefined;
    }
    return trim ? v.trim() : v;
  };
}

function unknownKeys(source: ConfigSource, problems: string[]): void {
  const known = Object.keys(CONFIG_KEYS);
  for (const k of source.keys().sort()) {
    if (!known.includes(k)) {
      problems.push(
        `${CONFIG_NAMESPACE}:${k} is not a setting of this program (known: ${known.map((n) => `${CONFIG_NAMESPACE}:${n}`).join(', ')})`,
      );
    }
  }
}

function readMode(source: ConfigSource, raw: Raw, problems: string[]): Mode | undefined {
  const modeValue = raw('mode');
  if (modeValue === undefined) {
    if (source.get('mode') === undefined) {
      problems.push(
        `${key('mode')} is required: "baseline" deploys a cluster's own objects, "tenant" one tenant's objects (\`${setHint('mode', 'baseline')}\`)`,
      );
    }
    return undefined;
  }
  if ((MODES as readonly string[]).includes(modeValue)) return modeValue as Mode;
  problems.push(`${key('mode')} must be "baseline" or "tenant", not "${modeValue}"`);
  return undefined;
}

/** The cluster, and in tenant mode the tenant and the cluster's baseline stack. */
function readTarget(source: ConfigSource, raw: Raw, mode: Mode | undefined, problems: string[]) {
  const clusterValue = raw('cluster');
  if (clusterValue === undefined && source.get('cluster') === undefined) {
    problems.push(
      `${key('cluster')} is required: the id of the cluster in the platform spec (\`${setHint('cluster', 'le-gpu')}\`)`,
    );
  }
  const cluster = checkId(clusterValue, 'cluster', problems);
  const tenantValue = raw('tenant');
  const tenant = checkId(tenantValue, 'tenant', problems);
  const clusterStack = raw('clusterStack');
  if (clusterStack !== undefined && !STACK_NAME.test(clusterStack)) {
    problems.push(
      `${key('clusterStack')} "${clusterStack}" is not a stack name; write <org>/<project>/<stack>, e.g. "acme/genesis/le-gpu"`,
    );
  }
  if (mode === 'tenant') {
    if (tenantValue === undefined && source.get('tenant') === undefined) {
      problems.push(
        `${key('tenant')} is required when ${key('mode')} is "tenant": the id of the tenant to deploy (\`${setHint('tenant', 'lattice-quantum')}\`)`,
      );
    }
    if (clusterStack === undefined && source.get('clusterStack') === undefined) {
      problems.push(
        `${key('clusterStack')} is required when ${key('mode')} is "tenant": the baseline stack of the cluster, which the tenant's objects rely on (\`${setHint('clusterStack', 'acme/genesis/le-gpu')}\`)`,
      );
    }
  } else if (mode === 'baseline') {
    if (tenantValue !== undefined)
      problems.push(
        `${key('tenant')} is set but ${key('mode')} is "baseline"; a baseline stack deploys no tenant (remove it or set the mode to "tenant")`,
      );
    if (clusterStack !== undefined)
      problems.push(
        `${key('clusterStack')} is set but ${key('mode')} is "baseline"; only tenant stacks read a cluster stack`,
      );
  }
  return { cluster, tenant, clusterStack };
}

/** `genesis:awsStorage` (ids set by hand) or `genesis:awsOutputs` (the file cdk deploy wrote): one of them. */
function readAwsStorage(
  raw: Raw,
  problems: string[],
): { awsStorage?: AwsStorageConfig; awsOutputs?: string } {
  const awsStorageValue = raw('awsStorage');
  const awsOutputs = raw('awsOutputs');
  if (awsStorageValue !== undefined && awsOutputs !== undefined) {
    problems.push(
      `${key('awsStorage')} and ${key('awsOutputs')} are both set; set one of them (awsOutputs reads the ids from the file \`cdk deploy --outputs-file\` wrote)`,
    );
  }
  if (awsStorageValue === undefined) return awsOutputs !== undefined ? { awsOutputs } : {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(awsStorageValue);
  } catch {
    problems.push(
      `${key('awsStorage')} must be an object; set its fields with \`pulumi config set --path ${key('awsStorage')}.efsFileSystemIds.<tier> fs-...\``,
    );
    return {};
  }
  const result = AwsStorageConfig.safeParse(parsed);
  if (result.success) return { awsStorage: result.data };
  for (const issue of result.error.issues)
    for (const d of describeZodIssue(issue))
      problems.push(`${key('awsStorage')}${d.path.length > 0 ? `.${formatPath(d.path)}` : ''}: ${d.message}`);
  return {};
}

/**
 * Reads and checks the stack configuration. Paths are resolved against `projectDir`; whether the
 * cluster and tenant exist in the spec is checked once the spec is loaded (see `selectTarget`).
 */
export function readSettings(source: ConfigSource, projectDir: string): Settings {
  const problems: string[] = [];
  const raw = rawReader(source, problems);
  unknownKeys(source, problems);
  const mode = readMode(source, raw, problems);
  const { cluster, tenant, clusterStack } = readTarget(source, raw, mode, problems);
  const specValue = raw('spec');
  const tenantsValue = raw('tenants');
  const now = raw('now');
  if (now !== undefined && !isValidIsoDate(now))
    problems.push(`${key('now')} "${now}" must be a date written YYYY-MM-DD`);
  const kubeconfigValue = raw('kubeconfig', false);
  const context = raw('context');
  if (context === undefined && source.get('context') === undefined) {
    problems.push(
      `${key('context')} is required: the kubeconfig context of cluster ${cluster ?? '<cluster>'}, so that the stack never deploys to whichever context happens to be current (\`${setHint('context', cluster ?? 'le-gpu')}\`)`,
    );
  }
  const { awsStorage, awsOutputs } = readAwsStorage(raw, problems);
  if (problems.length > 0 || mode === undefined || cluster === undefined || context === undefined)
    throw new StackConfigError(problems);

  const common: CommonSettings = {
    cluster,
    context,
    ...(specValue !== undefined ? { spec: resolveConfigPath(specValue, projectDir) } : {}),
    ...(tenantsValue !== undefined ? { tenantsDir: resolveConfigPath(tenantsValue, projectDir) } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(awsStorage !== undefined ? { awsStorage } : {}),
    ...(awsOutputs !== undefined ? { awsOutputs: resolveConfigPath(awsOutputs, projectDir) } : {}),
    ...(kubeconfigValue !== undefined
      ? {
          kubeconfig: isKubeconfigContents(kubeconfigValue)
            ? kubeconfigValue
            : resolveConfigPath(kubeconfigValue.trim(), projectDir),
        }
      : {}),
  };
  if (mode === 'baseline') return { mode, ...common };
  if (tenant === undefined || clusterStack === undefined) throw new StackConfigError(problems);
  return { mode, ...common, tenant, clusterStack };
}
