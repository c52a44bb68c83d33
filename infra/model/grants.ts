/** Grants: time-bound access of one tenant to one dataset. */
import { z } from 'zod';
import { Id, IsoDate, Text } from './primitives';

export const GrantFields = {
  dataset: Id,
  access: z.enum(['read', 'write']),
  purpose: Text,
  /** Last day of access (inclusive, UTC). */
  expires: IsoDate,
};

export const Grant = z.strictObject({ tenant: Id, ...GrantFields });
export type Grant = z.infer<typeof Grant>;
