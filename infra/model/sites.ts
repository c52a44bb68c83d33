/** Sites: AWS regions (commercial or GovCloud) and on-prem data centres running Kubernetes. */
import { z } from 'zod';
import { Id, Text } from './primitives';

export const KubernetesVersion = z.string().regex(/^1\.(2[89]|3[0-4])$/, {
  message: 'must be a supported Kubernetes minor version from 1.28 to 1.34, e.g. "1.30"',
});

export const AwsSite = z.strictObject({
  id: Id,
  kind: z.literal('aws'),
  description: Text.optional(),
  account: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' }),
  region: z
    .string()
    .regex(
      /^(us|eu|ap|ca|sa|me|af|il|mx)(-gov|-iso|-isob)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/,
      {
        message: 'must be an AWS region name such as us-gov-west-1',
      },
    ),
  availabilityZones: z.array(z.string()).min(2, { message: 'must list at least two availability zones' }),
});

export const OnpremSite = z.strictObject({
  id: Id,
  kind: z.literal('onprem'),
  description: Text.optional(),
  location: Text,
  kubernetesVersion: KubernetesVersion,
  cni: z.enum(['cilium', 'calico', 'other']),
});

export const Site = z.discriminatedUnion('kind', [AwsSite, OnpremSite]);
export type AwsSite = z.infer<typeof AwsSite>;
export type OnpremSite = z.infer<typeof OnpremSite>;
export type Site = z.infer<typeof Site>;
