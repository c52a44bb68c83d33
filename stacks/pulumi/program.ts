/**
 * The Genesis Pulumi program: reads the stack config, resolves what to deploy against the spec and
 * builds every Kubernetes object first (so that any problem stops the program before a single
 * resource is registered), then applies the objects through an explicit provider, one ConfigGroup
 * per chart of the Kubernetes target.
 *
 * - `baseline` mode: a cluster's own objects; exports what the tenant stacks on it rely on.
 * - `tenant` mode: one tenant's objects on one cluster, applied only after the cluster's baseline
 *   stack (a `pulumi.StackReference`) has been checked to carry them.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { tenantNamespace } from '../../infra/contract/names';
import {
  baselineOutputs,
  checkClusterStack,
  clusterIdentity,
  ClusterStackError,
  exportedObjects,
  type ClusterIdentity,
} from './cluster-stack';
import {
  baselineGroups,
  expectedClusterQueue,
  k8sOptions,
  tenantGroups,
  unresolvedObjects,
  type ObjectGroup,
} from './objects';
import { clusterProvider } from './provider';
import type { KubeObject } from './references';
import {
  CONFIG_NAMESPACE,
  readSettings,
  StackConfigError,
  type ConfigSource,
  type Settings,
} from './settings';
import { InvalidSpecError, loadTargetPlatform, selectTarget, type Target } from './target';
import { awsStorageFromOutputs } from './aws-outputs';

/** Everything the program will deploy, built and checked before any resource exists. */
export interface Plan {
  readonly settings: Settings;
  readonly target: Target;
  readonly identity: ClusterIdentity;
  /** One group per chart, in the order they are applied. */
  readonly groups: readonly ObjectGroup[];
  /** Objects left out for want of deploy-time ids; reported as warnings. */
  readonly unresolved: readonly string[];
  /** Tenant mode: the tenant's ClusterQueue as the spec defines it (the baseline deploys it). */
  readonly clusterQueue?: KubeObject;
}

export function planStack(source: ConfigSource, projectDir: string): Plan {
  const settings = readSettings(source, projectDir);
  const target = selectTarget(settings, loadTargetPlatform(settings));
  const identity = clusterIdentity(target.platform, target.cluster);
  const awsStorage =
    settings.awsOutputs !== undefined
      ? awsStorageFromOutputs(settings.awsOutputs, target.platform, target.cluster)
      : settings.awsStorage;
  const options = k8sOptions(target.platform, target.cluster.id, awsStorage);
  const tenantId = target.mode === 'tenant' ? target.tenant.id : undefined;
  const groups =
    tenantId === undefined
      ? baselineGroups(target.platform, target.cluster.id, options)
      : tenantGroups(target.platform, target.cluster.id, tenantId, options);
  const clusterQueue =
    tenantId === undefined
      ? undefined
      : expectedClusterQueue(target.platform, target.cluster.id, tenantId, options);
  return {
    settings,
    target,
    identity,
    groups,
    unresolved: unresolvedObjects(target.platform, target.cluster.id, tenantId, options),
    ...(clusterQueue ? { clusterQueue } : {}),
  };
}

/** Applies the groups in order: a group waits for the ones before it. */
function applyGroups(
  groups: readonly ObjectGroup[],
  objs: (g: ObjectGroup) => pulumi.Input<KubeObject[]>,
  provider: k8s.Provider,
): k8s.yaml.v2.ConfigGroup[] {
  const created: k8s.yaml.v2.ConfigGroup[] = [];
  for (const group of groups) {
    created.push(
      new k8s.yaml.v2.ConfigGroup(
        group.name,
        { objs: objs(group) as pulumi.Input<unknown[]> },
        { provider, dependsOn: created.length > 0 ? [created[created.length - 1]] : [] },
      ),
    );
  }
  return created;
}

/**
 * An error for the person running `pulumi up`: Pulumi prints a RunError's message without a stack
 * trace. The stack is dropped as well, because Pulumi's runner still formats the error with
 * `util.inspect`, which with source maps enabled (tsx) maps every frame through @pulumi/pulumi's
 * source maps and has been seen to take seconds and gigabytes for a three-line message.
 */
export function userError(message: string): pulumi.RunError {
  const err = new pulumi.RunError(message);
  err.stack = `${err.name}: ${message}`;
  return err;
}

export type StackOutputs = Record<string, pulumi.Output<unknown> | unknown>;

export function deployPlan(plan: Plan): StackOutputs {
  const { settings, identity, groups } = plan;
  for (const u of plan.unresolved) {
    pulumi.log.warn(
      `not deployed, needs deploy-time ids (set them under ${CONFIG_NAMESPACE}:awsStorage): ${u}`,
    );
  }
  const provider = clusterProvider(settings);
  const all = groups.flatMap((g) => g.objects);

  if (settings.mode === 'baseline') {
    const created = applyGroups(groups, (g) => [...g.objects], provider);
    return { ...baselineOutputs(identity, all), configGroups: created.map((c) => c.urn) };
  }

  const clusterStack = new pulumi.StackReference('cluster-stack', { name: settings.clusterStack });
  // The tenant's objects become inputs only once the cluster stack has been checked to carry them.
  const checked = clusterStack.outputs.apply((outputs) => {
    try {
      return checkClusterStack(outputs, {
        stack: settings.clusterStack,
        identity,
        tenantId: settings.tenant,
        objects: all,
        ...(plan.clusterQueue ? { clusterQueue: plan.clusterQueue } : {}),
      });
    } catch (e) {
      if (e instanceof ClusterStackError) throw userError(e.message);
      throw e;
    }
  });
  const created = applyGroups(groups, (g) => checked.apply(() => [...g.objects]), provider);
  return {
    clusterIdentity: identity,
    tenant: settings.tenant,
    namespace: tenantNamespace(settings.tenant),
    // Resolves only once the cluster stack has been checked: a failed check fails the update here too.
    objects: checked.apply((objs) => exportedObjects(objs)),
    configGroups: created.map((c) => c.urn),
  };
}

/** Runs the program; configuration and spec errors surface as Pulumi run errors (no stack trace). */
export function runProgram(source: ConfigSource, projectDir: string): StackOutputs {
  let plan: Plan;
  try {
    plan = planStack(source, projectDir);
  } catch (e) {
    if (e instanceof StackConfigError || e instanceof InvalidSpecError)
      throw userError(`genesis: ${e.message}`);
    throw e;
  }
  return deployPlan(plan);
}
