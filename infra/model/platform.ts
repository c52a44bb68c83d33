/** The whole platform, and the tenant spec file that partners write. */
import { z } from 'zod';
import { Cluster } from './clusters';
import { Dataset } from './datasets';
import { Enclave } from './enclaves';
import { Federation } from './federations';
import { Grant, GrantFields } from './grants';
import { Id, Text } from './primitives';
import { Site } from './sites';
import { StorageTier } from './storage';
import { Tenant } from './tenants';

export const API_VERSION = 'genesis.platform/v1';

export const Platform = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Platform'),
  metadata: z.strictObject({ name: Id, description: Text.optional() }),
  sites: z.array(Site).min(1, { message: 'must declare at least one site' }),
  enclaves: z.array(Enclave).default([]),
  storageTiers: z.array(StorageTier).default([]),
  clusters: z.array(Cluster).default([]),
  datasets: z.array(Dataset).default([]),
  tenants: z.array(Tenant).default([]),
  grants: z.array(Grant).default([]),
  /** Queues that dispatch across clusters (Kueue MultiKueue). */
  federations: z.array(Federation).default([]),
});

/** A partner's own file: one tenant and its grants (the tenant id is implied). */
export const TenantSpec = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Tenant'),
  tenant: Tenant,
  grants: z.array(z.strictObject(GrantFields)).default([]),
});

/** The validated, defaulted platform. */
export type Platform = z.infer<typeof Platform>;
/** What an author writes: defaults may be left out. */
export type PlatformInput = z.input<typeof Platform>;
export type TenantSpec = z.infer<typeof TenantSpec>;
export type TenantSpecInput = z.input<typeof TenantSpec>;

/** Declares a platform in TypeScript with full types; validate it with `parsePlatform`. */
export function definePlatform(spec: PlatformInput): PlatformInput {
  return spec;
}

/** Declares a tenant spec in TypeScript with full types. */
export function defineTenant(spec: TenantSpecInput): TenantSpecInput {
  return spec;
}
