/**
 * Sites: AWS regions (commercial or GovCloud), on-prem data centres running Kubernetes, and
 * compute that a partner contributes from its own account or data centre.
 */
import { z } from 'zod';
import { Classification } from './classification';
import { Id, IsoDate, Text } from './primitives';

export const KubernetesVersion = z.string().regex(/^1\.(2[89]|3[0-4])$/, {
  message: 'must be a supported Kubernetes minor version from 1.28 to 1.34, e.g. "1.30"',
});

export const AwsAccount = z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit AWS account id' });
export const AwsRegion = z
  .string()
  .regex(
    /^(us|eu|ap|ca|sa|me|af|il|mx)(-gov|-iso|-isob)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/,
    {
      message: 'must be an AWS region name such as us-gov-west-1',
    },
  );

export const AwsSite = z.strictObject({
  id: Id,
  kind: z.literal('aws'),
  description: Text.optional(),
  account: AwsAccount,
  region: AwsRegion,
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

/**
 * Compute a partner contributes: a Kubernetes cluster it runs in its own data centre or cloud
 * account, a trust boundary of its own, given manifests and a Pulumi stack to apply. It holds no
 * platform storage (datasets never leave their site); the platform reaches it only through a
 * federation's manager.
 */
export const PartnerSite = z.strictObject({
  id: Id,
  kind: z.literal('partner'),
  description: Text.optional(),
  /** The tenant that contributes the site; its agreement governs the contribution. */
  partner: Id,
  location: Text,
  kubernetesVersion: KubernetesVersion,
  cni: z.enum(['cilium', 'calico', 'other']),
  /** The contribution agreement and the highest classification it allows the site to hold. */
  agreement: z.strictObject({ id: Text, expires: IsoDate, allows: Classification }),
  /** The highest classification the partner attests the site may hold (at most what the agreement allows). */
  ceiling: Classification,
  /** That everyone with access to the site is a US person (required for export-controlled work). */
  usPersons: z.strictObject({ attested: z.boolean(), date: IsoDate.optional() }),
  /** Tenants other than the partner whose work the site accepts. */
  serves: z.array(Id).default([]),
  /**
   * Set when the site is hosted in the partner's own AWS account: the AWS target writes it a
   * `Partner-<site>` stack for that account (its enclave networks and EKS clusters, and the role
   * only the federation manager may assume). Without it the site is the partner's own data centre.
   */
  aws: z
    .strictObject({
      account: AwsAccount,
      region: AwsRegion,
      availabilityZones: z.array(z.string()).min(2, { message: 'must list at least two availability zones' }),
    })
    .optional(),
});

export const Site = z.discriminatedUnion('kind', [AwsSite, OnpremSite, PartnerSite]);
export type AwsSite = z.infer<typeof AwsSite>;
export type OnpremSite = z.infer<typeof OnpremSite>;
export type PartnerSite = z.infer<typeof PartnerSite>;
export type Site = z.infer<typeof Site>;
