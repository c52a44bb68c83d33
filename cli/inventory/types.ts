/**
 * The shape of `genesis inventory`: what the platform has, as plain data. Counts of GPUs and
 * schedulable units are numbers; CPU and memory are quantities as the spec writes them (cores or
 * millicores, bytes in the largest binary unit that divides them: `2Ti`). Every list is sorted.
 */
import type { Classification } from '../../infra/model';

/** A count at the nodes that always exist (count, or the minimum) and at the most nodes a pool may reach. */
export interface Range {
  readonly guaranteed: number;
  readonly maximum: number;
}

export interface QuantityRange {
  readonly perNode: string;
  readonly guaranteed: string;
  readonly maximum: string;
}

export interface SiteRow {
  readonly site: string;
  readonly kind: 'aws' | 'onprem' | 'partner';
  /** The region (AWS) or the location (on-prem, partner). */
  readonly where: string;
  readonly enclaves: readonly string[];
  readonly clusters: readonly string[];
  readonly gpus: Range;
}

export interface PoolRow {
  readonly site: string;
  readonly cluster: string;
  readonly enclave: string;
  readonly pool: string;
  readonly model: string;
  readonly gpusPerNode: number;
  readonly nodes: Range;
  /** Physical GPUs: gpusPerNode x nodes. */
  readonly gpus: Range;
  /** exclusive, mig <profile>, or time-slicing x<replicas>. */
  readonly sharing: string;
  /** The extended resource the units are advertised as. */
  readonly resource: string;
  readonly unitsPerNode: number;
  readonly units: Range;
  readonly cpu: QuantityRange;
  readonly memory: QuantityRange;
}

export interface StorageRow {
  readonly tier: string;
  readonly site: string;
  readonly kind: string;
  readonly capacity: string;
  /** The on-prem storage system, or the managed AWS service of the kind. */
  readonly backend: string;
  readonly maxClassification: Classification;
}

export interface DatasetGroup {
  readonly agency: string;
  readonly classification: Classification;
  readonly datasets: readonly string[];
}

export interface TenantRow {
  readonly tenant: string;
  readonly kind: string;
  readonly homeEnclave: string;
  readonly agreement: { readonly id: string; readonly expires: string };
  /** Nominal and borrowing GPU quota, in schedulable units, summed over every pool. */
  readonly gpuQuota: { readonly nominal: number; readonly borrowing: number; readonly pools: number };
  readonly grants: { readonly active: number; readonly expired: number };
}

export interface GrantRow {
  readonly tenant: string;
  readonly dataset: string;
  readonly access: 'read' | 'write';
  readonly expires: string;
  readonly status: 'active' | 'expired';
}

export interface PartnerRow {
  readonly site: string;
  readonly partner: string;
  readonly agreement: { readonly id: string; readonly expires: string; readonly allows: Classification };
  readonly ceiling: Classification;
  readonly usPersons: { readonly attested: boolean; readonly date?: string };
  readonly clusters: ReadonlyArray<{ readonly cluster: string; readonly gpus: Range; readonly units: Range }>;
  readonly gpus: Range;
  /** The tenants other than the partner whose work the site accepts. */
  readonly serves: readonly string[];
  /** Federations one of the site's clusters is a worker of. */
  readonly federations: readonly string[];
}

export interface QueueRow {
  readonly tenant: string;
  /** The highest classification of the data the tenant holds a grant on. */
  readonly requires: Classification;
  readonly workers: readonly string[];
  readonly excluded: ReadonlyArray<{ readonly worker: string; readonly reason: string }>;
}

export interface FederationRow {
  readonly federation: string;
  readonly manager: string;
  readonly workers: readonly string[];
  readonly queues: readonly QueueRow[];
}

export interface Inventory {
  readonly platform: string;
  /** The day grants are judged against. */
  readonly now: string;
  readonly sites: readonly SiteRow[];
  readonly pools: readonly PoolRow[];
  /** Physical GPUs of the whole platform (units are not summed: a MIG slice is not a GPU). */
  readonly totals: { readonly gpus: Range };
  readonly storage: readonly StorageRow[];
  readonly datasets: readonly DatasetGroup[];
  readonly tenants: readonly TenantRow[];
  readonly grants: readonly GrantRow[];
  readonly partners: readonly PartnerRow[];
  readonly federations: readonly FederationRow[];
}
