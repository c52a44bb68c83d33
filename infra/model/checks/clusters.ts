/** Clusters: site and enclave agree, and each node pool is realisable where it runs. */
import { GPU_INFO } from '../accelerators';
import type { Site } from '../sites';
import type { NodePool } from '../clusters';
import type { CheckContext, ModelCheck } from './context';

/** Node pool names the platform uses for its own (untainted, non-GPU) nodes. */
export const RESERVED_POOL_NAMES: readonly string[] = ['system'];

function poolRules(
  ctx: CheckContext,
  pool: NodePool,
  path: Array<string | number>,
  site: Site | undefined,
): void {
  if (RESERVED_POOL_NAMES.includes(pool.name))
    ctx.add(
      [...path, 'name'],
      `"${pool.name}" is reserved for the platform's own nodes; choose another pool name`,
    );
  const onAws = site?.kind === 'aws' || (site?.kind === 'partner' && site.aws !== undefined);
  if (onAws && !pool.instanceType)
    ctx.add([...path, 'instanceType'], 'a node pool on an AWS site must name its EC2 instance type');
  if (site && !onAws && pool.instanceType)
    ctx.add([...path, 'instanceType'], 'instanceType applies to AWS sites only');
  if ('min' in pool.nodes && pool.nodes.min > pool.nodes.max)
    ctx.add([...path, 'nodes', 'min'], `min ${pool.nodes.min} exceeds max ${pool.nodes.max}`);
  const info = GPU_INFO[pool.gpu.model];
  if (pool.sharing.mode === 'mig' && info.migProfiles[pool.sharing.profile] === undefined) {
    const known = Object.keys(info.migProfiles);
    ctx.add(
      [...path, 'sharing', 'profile'],
      known.length
        ? `${pool.gpu.model} has no MIG profile "${pool.sharing.profile}"; it has ${known.join(', ')}`
        : `${pool.gpu.model} does not support MIG`,
    );
  }
  if (pool.sharing.mode === 'time-slicing' && info.vendor !== 'nvidia') {
    ctx.add(
      [...path, 'sharing', 'mode'],
      `time-slicing is an NVIDIA device-plugin feature; ${pool.gpu.model} does not support it`,
    );
  }
}

export const clusterRules: ModelCheck = {
  name: 'clusters',
  description:
    "a cluster's enclave is on its site, on-prem versions match the site, and each pool's instance type, size and GPU sharing are possible",
  run(ctx) {
    ctx.platform.clusters.forEach((c, i) => {
      const site = ctx.ref(ctx.sites, c.site, ['clusters', i, 'site'], 'site');
      const enclave = ctx.ref(ctx.enclaves, c.enclave, ['clusters', i, 'enclave'], 'enclave');
      if (enclave && enclave.site !== c.site) {
        ctx.add(
          ['clusters', i, 'enclave'],
          `enclave "${c.enclave}" is on site "${enclave.site}", not on the cluster's site "${c.site}"`,
        );
      }
      if (
        (site?.kind === 'onprem' || site?.kind === 'partner') &&
        site.kubernetesVersion !== c.kubernetesVersion
      ) {
        ctx.add(
          ['clusters', i, 'kubernetesVersion'],
          `${c.kubernetesVersion} differs from site "${site.id}", which runs ${site.kubernetesVersion}`,
        );
      }
      c.nodePools.forEach((pool, j) => poolRules(ctx, pool, ['clusters', i, 'nodePools', j], site));
    });
  },
};
