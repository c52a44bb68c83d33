/** Enclaves: network isolation zones of one site, one data classification each. */
import { z } from 'zod';
import { Classification } from './classification';
import { Cidr, Fqdn, Id, Text } from './primitives';

export const Egress = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    mode: z.literal('allow-list'),
    fqdns: z.array(Fqdn).default([]),
    cidrs: z.array(Cidr).default([]),
  }),
]);

export const Enclave = z.strictObject({
  id: Id,
  site: Id,
  classification: Classification,
  description: Text.optional(),
  cidr: Cidr,
  egress: Egress,
  /** Enclaves whose workloads may open connections into this one. */
  reachableFrom: z.array(Id).default([]),
});
export type Egress = z.infer<typeof Egress>;
export type Enclave = z.infer<typeof Enclave>;
