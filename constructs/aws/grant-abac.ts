/**
 * How dataset grants are enforced on the data side: attribute-based access control (ABAC) with
 * principal tags.
 *
 * Chosen over S3 access points per grant because the resource policies stay constant in size as
 * tenants grow to the thousands: a dataset bucket policy and a classification key policy name one
 * tag key and one platform role pattern, never a tenant. Access points would need one access point
 * (and its policy) per grant, and an account holds at most 10,000 access points per region; each
 * grant would also be a resource of the site stack (500 resources a stack).
 *
 * - A tenant data role carries one tag per grant, `genesis:grant:<dataset>` = `read` | `write`, and
 *   one per classification of its granted datasets, `genesis:data-key:<classification>` = `read` |
 *   `write` (the widest access among those grants). Tag values are single words: IAM tag values
 *   admit no commas, and `StringEquals` on a whole value cannot be fooled by a longer one.
 * - The dataset bucket policy denies read actions to every principal whose grant tag for the
 *   dataset is not `read` or `write`, write actions to every principal whose tag is not `write`,
 *   and data actions to every principal that is not a tenant data role (`genesis-*-data`, whose
 *   trust admits EKS Pod Identity only, so nobody chooses its session tags), on top of the network
 *   perimeter (the enclaves' S3 endpoints) and TLS.
 * - The classification key policy admits decryption (read) and encryption (write) through S3 only
 *   to tenant data roles whose classification tag says so, and denies every other principal.
 * - The one exception in both is the site's break-glass role (`genesis-<site>-data-break-glass`):
 *   it has no permissions of its own and only MFA sessions of the account may assume it, so using
 *   it takes an IAM administrator attaching a policy, which CloudTrail records.
 * - Key administration (including changing the key policy) stays with the account through IAM,
 *   so the key policy cannot lock the account out.
 * - Expiry stays in the identity policies of the tenant data role (`aws:CurrentTime` per grant):
 *   a tag cannot expire by itself.
 *
 * Limit: a role holds at most 50 tags. {@link RESERVED_ROLE_TAGS} are kept for the platform's own
 * tags (tenant, site, enclave, quotas), so a tenant may hold at most {@link MAX_ACCESS_TAGS} grant
 * and classification tags on one site together; the AWS placement refuses a tenant with more.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { dataKeyTagKey, grantTagKey } from '../../infra/contract';

export type GrantAccess = 'read' | 'write';

/** IAM quota of tags on one role. */
export const MAX_ROLE_TAGS = 50;
/** Tags of a tenant data role the platform keeps for itself (tenant, site, enclave, GPU and storage quotas, and room). */
export const RESERVED_ROLE_TAGS = 10;
/** Grant tags plus classification tags one tenant data role may carry. */
export const MAX_ACCESS_TAGS = MAX_ROLE_TAGS - RESERVED_ROLE_TAGS;

export { dataKeyTagKey, grantTagKey };

/** Name of a site's break-glass role for dataset data and keys. */
export function breakGlassRoleName(siteId: string): string {
  return `genesis-${siteId}-data-break-glass`;
}

/** ARN pattern of the tenant data roles (`genesis-<tenant>-data`) of an account. */
export function tenantDataRoleArnPattern(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:role/genesis-*-data`;
}

export interface GrantedAccess {
  readonly datasetId: string;
  readonly classification: string;
  readonly access: GrantAccess;
}

/** The access tags of a tenant data role for its grants, sorted by key. */
export function accessTags(grants: readonly GrantedAccess[]): Record<string, GrantAccess> {
  const tags = new Map<string, GrantAccess>();
  const widen = (key: string, access: GrantAccess) =>
    tags.set(key, tags.get(key) === 'write' ? 'write' : access);
  for (const g of grants) {
    widen(grantTagKey(g.datasetId), g.access);
    widen(dataKeyTagKey(g.classification), g.access);
  }
  if (tags.size > MAX_ACCESS_TAGS)
    throw new Error(
      `${tags.size} grant and classification tags exceed the ${MAX_ACCESS_TAGS} a tenant data role may carry`,
    );
  return Object.fromEntries([...tags.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Who may use data under ABAC: the principal tag to check, the tenant roles, the break-glass role. */
export interface GrantAbac {
  /** `genesis:grant:<dataset>` on a bucket, `genesis:data-key:<classification>` on a key. */
  readonly tagKey: string;
  /** ARN pattern of the roles that may hold grants. */
  readonly granteeArnPattern: string;
  /** ARN of the break-glass role, the only other principal admitted. */
  readonly breakGlassRoleArn: string;
}

const READERS: GrantAccess[] = ['read', 'write'];
const WRITERS: GrantAccess[] = ['write'];

/**
 * Resource-policy statements of a dataset bucket or key: deny `readActions` unless the tag says
 * read or write, `writeActions` unless it says write, and both to any principal other than a
 * grantee role; the break-glass role excepted. AWS service principals are left to the bucket's
 * other statements (`excludeServices`).
 */
export function grantDenyStatements(
  abac: GrantAbac,
  opts: {
    readonly readActions: readonly string[];
    readonly writeActions: readonly string[];
    readonly resources: readonly string[];
    readonly excludeServices?: boolean;
  },
): iam.PolicyStatement[] {
  const everyone = new iam.AnyPrincipal();
  const services = opts.excludeServices ? { Bool: { 'aws:PrincipalIsAWSService': 'false' } } : {};
  const notBreakGlass = { ArnNotEquals: { 'aws:PrincipalArn': abac.breakGlassRoleArn } };
  const tag = `aws:PrincipalTag/${abac.tagKey}`;
  return [
    new iam.PolicyStatement({
      sid: 'DenyDataToOtherThanGranteeRoles',
      effect: iam.Effect.DENY,
      principals: [everyone],
      actions: [...opts.readActions, ...opts.writeActions],
      resources: [...opts.resources],
      conditions: {
        ArnNotLike: { 'aws:PrincipalArn': [abac.granteeArnPattern, abac.breakGlassRoleArn] },
        ...services,
      },
    }),
    new iam.PolicyStatement({
      sid: 'DenyReadWithoutGrant',
      effect: iam.Effect.DENY,
      principals: [everyone],
      actions: [...opts.readActions],
      resources: [...opts.resources],
      conditions: { StringNotEquals: { [tag]: READERS }, ...notBreakGlass, ...services },
    }),
    new iam.PolicyStatement({
      sid: 'DenyWriteWithoutWriteGrant',
      effect: iam.Effect.DENY,
      principals: [everyone],
      actions: [...opts.writeActions],
      resources: [...opts.resources],
      conditions: { StringNotEquals: { [tag]: WRITERS }, ...notBreakGlass, ...services },
    }),
  ];
}

/** Tag values a read action admits, and those a write action admits. */
export const GRANT_TAG_VALUES = { read: READERS, write: WRITERS } as const;
