/** Tenants: federal, industry and academic partners, with their agreement and quotas. */
import { z } from 'zod';
import { Email, Id, IsoDate, Quantity, Text } from './primitives';

export const GpuQuota = z.strictObject({
  /** GPUs (or MIG slices, or time-slice replicas) guaranteed to the tenant. */
  nominal: z.number().int().min(0),
  /** How many more it may borrow from idle quota of the cohort. */
  borrowing: z.number().int().min(0).default(0),
  /** How much of its nominal quota others may borrow while it is idle; all of it if unset. */
  lending: z.number().int().min(0).optional(),
});

export const Contact = z.strictObject({
  name: Text,
  email: Email,
  role: z.enum(['technical', 'security', 'billing', 'principal-investigator']),
});

export const Tenant = z.strictObject({
  id: Id,
  kind: z.enum(['federal', 'industry', 'academic']),
  organisation: Text,
  usPerson: z.strictObject({
    attested: z.boolean(),
    /** Date of the attestation; required when attested. */
    date: IsoDate.optional(),
  }),
  agreement: z.strictObject({ id: Text, expires: IsoDate }),
  homeEnclave: Id,
  quotas: z
    .strictObject({
      /** cluster id -> node pool name -> quota. */
      gpu: z.record(Id, z.record(Id, GpuQuota)).default({}),
      /** storage tier id -> capacity. */
      storage: z.record(Id, Quantity).default({}),
    })
    .default({ gpu: {}, storage: {} }),
  contacts: z.array(Contact).min(1, { message: 'must list at least one contact' }),
  /**
   * Federations the tenant's queue opts into: work queued on the federation's manager is
   * dispatched to the workers that may hold the tenant's data (Kueue MultiKueue).
   */
  federations: z.array(Id).default([]),
});
export type GpuQuota = z.infer<typeof GpuQuota>;
export type Tenant = z.infer<typeof Tenant>;
