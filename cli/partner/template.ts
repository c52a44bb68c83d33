/**
 * The commented tenant spec that `genesis tenant init` writes. It is generated from the platform,
 * so its comments list the real enclaves, free GPU capacity, storage tiers and datasets, and its
 * quotas and datasets fit the platform as written. Its example identity (organisation, agreement,
 * contacts, purposes) are placeholders that loading refuses until the partner replaces them.
 */
import {
  classificationAllows,
  TEMPLATE_PLACEHOLDERS as P,
  type Dataset,
  type Enclave,
  type Platform,
  type StorageTier,
} from '../../infra/model';
import { quotaUsage, type PoolUsage } from './usage-table';

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const q = (s: string): string => JSON.stringify(s);

/** The spec's starting point: the pool it asks GPUs of, its home enclave, dataset and tier. */
interface StartingPoint {
  /** The free pool with the most free units, its cluster and enclave; none when nothing is free. */
  readonly pick?: { readonly u: PoolUsage };
  readonly home?: Enclave;
  /** Public datasets the home enclave may reach. */
  readonly reachable: readonly Dataset[];
  /** An object tier the home enclave's classification may use. */
  readonly tier?: StorageTier;
}

/**
 * A starting point that validates: a non-export-controlled enclave with a cluster that has
 * free GPUs, the pool with the most free units, and a public dataset that enclave may reach.
 */
function startingPoint(platform: Platform, usage: readonly PoolUsage[]): StartingPoint {
  const enclaves = platform.enclaves;
  const candidates = usage
    .filter((u) => u.free > 0)
    .map((u) => ({ u, cluster: platform.clusters.find((c) => c.id === u.cluster)! }))
    .map((x) => ({ ...x, enclave: enclaves.find((e) => e.id === x.cluster.enclave)! }))
    .filter((x) => x.enclave.classification !== 'export-controlled')
    .sort(
      (a, b) =>
        b.u.free - a.u.free || a.u.cluster.localeCompare(b.u.cluster) || a.u.pool.localeCompare(b.u.pool),
    );
  const pick = candidates[0];
  const home = pick?.enclave ?? enclaves.find((e) => e.classification !== 'export-controlled') ?? enclaves[0];
  const reachable = platform.datasets.filter((d) => {
    const where = enclaves.find((e) => e.id === d.enclave);
    return (
      d.classification === 'public' &&
      where &&
      (where.id === home?.id || where.reachableFrom.includes(home?.id ?? ''))
    );
  });
  const tier = platform.storageTiers.find(
    (t) => home && classificationAllows(t.maxClassification, home.classification) && t.kind === 'object',
  );
  return { pick, home, reachable, tier };
}

/** The header, the tenant's identity and agreement, its home enclave, and the free GPUs. */
function identityLines(
  platform: Platform,
  id: string,
  usage: readonly PoolUsage[],
  home: Enclave | undefined,
  expires: string,
): string[] {
  return [
    `# Genesis Platform tenant spec for ${id}.`,
    '#',
    '# Replace the example identity below (validate refuses it as written), then check the file:',
    `#   npx genesis tenant validate ${id}.tenant.yaml`,
    `#   npx genesis tenant plan ${id}.tenant.yaml`,
    '# The JSON Schema for your editor: npx genesis schema --kind tenant',
    '# Ids are lower-case DNS labels; dates are YYYY-MM-DD; sizes use binary suffixes (Ti, Pi).',
    'apiVersion: genesis.platform/v1',
    'kind: Tenant',
    'tenant:',
    `  id: ${id}`,
    '  # federal | industry | academic',
    '  kind: industry',
    '  # Legal name, as on the agreement.',
    `  organisation: ${P.organisation}`,
    '  # US-person attestation: required for export-controlled enclaves and datasets.',
    '  usPerson:',
    '    attested: false',
    '    # date: "YYYY-MM-DD"      # date of the attestation, required when attested',
    '  # The agreement that covers this tenancy; no grant may outlive it.',
    '  agreement:',
    `    id: ${P.agreementId}`,
    `    expires: ${q(expires)}`,
    '  # The enclave your workloads run in. This platform has:',
    ...platform.enclaves.map((e) => `  #   ${e.id.padEnd(20)} ${e.classification.padEnd(18)} site ${e.site}`),
    `  homeEnclave: ${home?.id ?? 'CHANGE-ME'}`,
    '  quotas:',
    '    # GPUs per cluster and node pool: nominal is guaranteed, borrowing comes from idle quota.',
    '    # Units are GPUs, MIG slices or time-slice replicas, as the pool shares them. Free now:',
    ...usage.map(
      (u) =>
        `    #   ${`${u.cluster}/${u.pool}`.padEnd(24)} ${String(u.free).padStart(4)} free of ${String(u.capacity).padEnd(4)} ${u.describe}  (enclave ${platform.clusters.find((c) => c.id === u.cluster)?.enclave})`,
    ),
    '    gpu:',
  ];
}

/** The GPU quota asked for: up to 4 units of the picked pool, or none. */
function gpuLines(pick: StartingPoint['pick']): string[] {
  if (!pick) return ['      {}'];
  const n = Math.min(4, pick.u.free);
  return [`      ${pick.u.cluster}:`, `        ${pick.u.pool}: { nominal: ${n}, borrowing: ${n} }`];
}

/** The storage quota with the platform's tiers, the contacts, and the platform's datasets. */
function storageAndDatasetLines(platform: Platform, tier: StorageTier | undefined): string[] {
  return [
    '    # Storage per tier. Tiers of this platform:',
    ...platform.storageTiers.map(
      (t) => `    #   ${t.id.padEnd(12)} ${t.kind.padEnd(12)} up to ${t.maxClassification}`,
    ),
    '    storage:',
    tier ? `      ${tier.id}: 1Ti` : '      {}',
    '  contacts:',
    '    # roles: technical | security | billing | principal-investigator',
    `    - { name: ${P.names[0]}, email: ${P.emails[0]}, role: technical }`,
    `    - { name: ${P.names[1]}, email: ${P.emails[1]}, role: security }`,
    ...federationLines(platform),
    '# Datasets you request. Each grant is read or write, has a purpose, and expires.',
    '# Datasets of this platform:',
    ...platform.datasets.map(
      (d) =>
        `#   ${d.id.padEnd(22)} ${d.agency.padEnd(6)} ${d.classification.padEnd(18)} enclave ${d.enclave}`,
    ),
    'grants:',
  ];
}

/** The federations a tenant's queue may opt into, as a comment (opting in is a choice, not a default). */
function federationLines(platform: Platform): string[] {
  if (!platform.federations.length) return [];
  return [
    '  # Federations your queue on their manager may dispatch through, to workers that may hold your',
    '  # data and serve you (you need quota on the manager and on a worker). This platform has:',
    ...platform.federations.map(
      (f) => `  #   ${f.id.padEnd(20)} manager ${f.manager}, workers ${f.workers.join(', ')}`,
    ),
    '  # federations: [<id>]',
  ];
}

/** The grant asked for: read access to the first reachable public dataset, or none. */
function grantLines(reachable: readonly Dataset[], grantExpires: string): string[] {
  if (!reachable[0]) return ['  []'];
  return [
    `  - { dataset: ${reachable[0].id}, access: read, purpose: ${P.purpose}, expires: ${q(grantExpires)} }`,
  ];
}

export function tenantTemplate(platform: Platform, id: string, now: string): string {
  const expires = addDays(now, 365);
  const grantExpires = addDays(now, 180);
  const usage = quotaUsage(platform);
  const { pick, home, reachable, tier } = startingPoint(platform, usage);
  const lines = [
    ...identityLines(platform, id, usage, home, expires),
    ...gpuLines(pick),
    ...storageAndDatasetLines(platform, tier),
    ...grantLines(reachable, grantExpires),
  ];
  return `${lines.join('\n')}\n`;
}
