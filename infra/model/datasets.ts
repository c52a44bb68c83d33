/** Datasets: owned by an agency, held in one enclave on one storage tier. */
import { z } from 'zod';
import { Classification } from './classification';
import { Id, Text } from './primitives';

export const ExportControl = z.strictObject({
  regime: z.enum(['EAR', 'ITAR']),
  /** Export Control Classification Number (EAR) or USML category (ITAR), e.g. 3E001 or XV(e). */
  category: z.string().min(1),
});

export const Dataset = z.strictObject({
  id: Id,
  agency: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9-]{1,15}$/, { message: 'must be an agency acronym such as DOE or NOAA' }),
  classification: Classification,
  enclave: Id,
  tier: Id,
  description: Text,
  exportControl: ExportControl.optional(),
  /**
   * Tenants that curate the dataset for its agency: only they may hold a `write` grant. Everyone
   * else reads; a partner cannot give itself write access to an agency's data.
   */
  curators: z.array(Id).default([]),
});
export type Dataset = z.infer<typeof Dataset>;
