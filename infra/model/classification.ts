/** Data classifications, ordered: a higher rank may hold everything a lower one may. */
import { z } from 'zod';

export const CLASSIFICATIONS = ['public', 'cui', 'export-controlled'] as const;
export const Classification = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof Classification>;

export function classificationRank(c: Classification): number {
  return CLASSIFICATIONS.indexOf(c);
}

/** True when data of class `data` may be held where `container` is allowed. */
export function classificationAllows(container: Classification, data: Classification): boolean {
  return classificationRank(data) <= classificationRank(container);
}

/** Restricted enclaves are isolated from the internet: no gateway, no NAT, no egress. */
export function isRestricted(c: Classification): boolean {
  return c !== 'public';
}
