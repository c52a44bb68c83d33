/** Storage tiers: what a tier is, and how each site realises it. Encryption is always on. */
import { z } from 'zod';
import { Classification } from './classification';
import { Id, Quantity, Text } from './primitives';

export const STORAGE_KINDS = ['parallel-fs', 'file', 'object', 'archive'] as const;
export const StorageKind = z.enum(STORAGE_KINDS);

/** On-prem back ends with a real CSI driver; AWS sites use the managed service of the kind. */
export const OnpremBackend = z.enum(['lustre', 'nfs', 'cephfs', 's3']);

export const TierRealisation = z.strictObject({
  site: Id,
  capacity: Quantity,
  /** On-prem only: the storage system behind the tier. */
  backend: OnpremBackend.optional(),
  /** On-prem only: the server, file system or gateway address (host name or Lustre MGS NID). */
  endpoint: z.string().min(1).optional(),
  /** On-prem only: the export path, Ceph file system name, or bucket prefix. */
  path: z.string().min(1).optional(),
});

export const Encryption = z.strictObject({
  /** Always a customer-managed key; there is no switch to turn encryption off. */
  keyManagement: z.literal('customer-managed').default('customer-managed'),
  /** Rotate the key material every year (AWS KMS) or per the site's KMS policy. */
  rotation: z.boolean().default(true),
});

export const ObjectLock = z.strictObject({
  mode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
  days: z.number().int().min(1).max(36500),
});

export const StorageTier = z.strictObject({
  id: Id,
  kind: StorageKind,
  description: Text.optional(),
  /** The highest classification of data this tier may hold. */
  maxClassification: Classification,
  encryption: Encryption.default({ keyManagement: 'customer-managed', rotation: true }),
  /** Days to keep data after deletion is requested (noncurrent versions, snapshots). */
  retentionDays: z.number().int().min(1).max(36500),
  versioning: z.boolean().default(false),
  objectLock: ObjectLock.optional(),
  /** Days after which archive objects move to Glacier classes. */
  transitionToGlacierDays: z.number().int().min(0).optional(),
  sites: z.array(TierRealisation).min(1, { message: 'must realise the tier on at least one site' }),
});
export type StorageKind = z.infer<typeof StorageKind>;
export type TierRealisation = z.infer<typeof TierRealisation>;
export type StorageTier = z.infer<typeof StorageTier>;
