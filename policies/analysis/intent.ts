/**
 * The parts of the declared intent (platform.json, as synth wrote it) that effect-to-intent
 * analyses compare artifacts with: node pools and their GPU sharing, tenant GPU quotas, storage
 * tiers' retention and object lock. Parsed leniently (unknown keys pass); a part that does not
 * parse is absent, and the rules that need it say so.
 */
import { z } from 'zod';
import type { RuleContext } from '../engine/types';

const Sharing = z
  .object({
    mode: z.string(),
    replicas: z.number().optional(),
    profile: z.string().optional(),
    strategy: z.string().optional(),
  })
  .loose();
const Pool = z
  .object({
    name: z.string(),
    gpu: z.object({ model: z.string(), perNode: z.number() }).loose().optional(),
    sharing: Sharing.optional(),
  })
  .loose();
const Cluster = z.object({ id: z.string(), site: z.string(), nodePools: z.array(Pool) }).loose();
const GpuQuota = z.object({ nominal: z.number(), borrowing: z.number().optional() }).loose();
const Tenant = z
  .object({
    id: z.string(),
    quotas: z
      .object({ gpu: z.record(z.string(), z.record(z.string(), GpuQuota)).optional() })
      .loose()
      .optional(),
  })
  .loose();
const Tier = z
  .object({
    id: z.string(),
    kind: z.string(),
    retentionDays: z.number().optional(),
    objectLock: z.object({ days: z.number(), mode: z.string() }).loose().optional(),
    sites: z.array(z.object({ site: z.string(), backend: z.string().optional() }).loose()).optional(),
  })
  .loose();
const Intent = z
  .object({
    clusters: z.array(Cluster).default([]),
    tenants: z.array(Tenant).default([]),
    storageTiers: z.array(Tier).default([]),
  })
  .loose();

export type IntentPool = z.infer<typeof Pool>;
export type IntentTier = z.infer<typeof Tier>;
export type Intent = z.infer<typeof Intent>;

/** The intent of the checked folder, or undefined when there is none or it does not parse. */
export function intentOf(ctx: RuleContext): Intent | undefined {
  const r = Intent.safeParse(ctx.artifacts.intent?.json);
  return r.success ? r.data : undefined;
}

/** Declared GPU quota of a tenant on a cluster's pool. */
export function declaredGpuQuota(
  intent: Intent,
  tenant: string,
  cluster: string,
  pool: string,
): { nominal: number; borrowing: number } | undefined {
  const q = intent.tenants.find((t) => t.id === tenant)?.quotas?.gpu?.[cluster]?.[pool];
  return q ? { nominal: q.nominal, borrowing: q.borrowing ?? 0 } : undefined;
}
