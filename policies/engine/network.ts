/**
 * Which VPC a network resource belongs to, and whether that VPC is a restricted enclave.
 *
 * The classification of a VPC is not taken from its own tag alone: the resources placed in it
 * (subnets, security groups, endpoints, flow logs, clusters: anything whose VpcId or subnets lead to
 * it) and every resource tagged with the same genesis:enclave carry a classification too. A VPC is
 * restricted when any of that evidence says so; it is public only when its own tag says public and
 * no evidence says otherwise; a VPC with no (or an unrecognised) classification is undecided unless
 * the evidence shows it restricted. GEN-AWS-NET-010 fails when the evidence disagrees.
 */
import { asArray, isRecord, RESTRICTED_CLASSIFICATIONS, subnetVpcs, TAG, vpcsByRef } from './rule-kit';
import { cfnResources, tagsOf, type CfnItem } from './cfn/template';
import { isUnknown, Unknown } from './cfn/resolve';
import type { RuleContext } from './types';

/** Classifications in rank order: a VPC of a higher rank may hold resources of a lower one. */
export const CLASSIFICATION_RANK: ReadonlyMap<string, number> = new Map([
  ['public', 0],
  ['cui', 1],
  ['export-controlled', 2],
]);

export interface ClassificationClaim {
  /** What says it: `tag of VPC X`, `subnet Y in the VPC`, `bucket Z of enclave e`. */
  readonly source: string;
  readonly value: string;
}

export interface VpcEvidence {
  /** The VPC's own genesis:classification tag (undefined when absent, Unknown when undecidable). */
  readonly own: unknown;
  /** Enclave names: the VPC's own tag and those of the resources placed in it. */
  readonly enclaves: readonly string[];
  /** Classifications carried by resources in the VPC or tagged with one of its enclaves. */
  readonly claims: readonly ClassificationClaim[];
}

export interface VpcVerdict {
  /** The VPC resource, when the assembly declares it. */
  readonly vpc?: CfnItem;
  readonly restricted: boolean | Unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The VPC refs a resource is placed in: VpcId, or the VPC of its subnets. */
function placements(item: CfnItem, subnets: Map<unknown, unknown>): unknown[] {
  const p = item.props;
  const out: unknown[] = [];
  if (item.resource.Type === 'AWS::EC2::VPC') return out;
  if (p.VpcId !== undefined) out.push(p.VpcId);
  if (item.resource.Type === 'AWS::EC2::FlowLog' && p.ResourceType === 'VPC')
    out.push(...asArray(p.ResourceIds), p.ResourceId);
  const subnetRefs = [p.SubnetId, ...asArray(p.SubnetIds), ...asArray(p.Subnets)];
  for (const cfg of [p.ResourcesVpcConfig, p.VpcConfig, p.NetworkConfiguration])
    if (isRecord(cfg)) subnetRefs.push(...asArray(cfg.SubnetIds), ...asArray(cfg.Subnets));
  for (const s of subnetRefs) if (s !== undefined && subnets.has(s)) out.push(subnets.get(s));
  return [...new Set(out.filter((v) => v !== undefined))];
}

export class VpcIndex {
  private readonly vpcs: Map<unknown, CfnItem>;
  private readonly subnets: Map<unknown, unknown>;
  private readonly evidence = new Map<CfnItem, VpcEvidence>();
  constructor(ctx: RuleContext) {
    this.vpcs = vpcsByRef(ctx);
    this.subnets = subnetVpcs(ctx);
    const byVpc = new Map<CfnItem, { enclaves: Set<string>; claims: ClassificationClaim[] }>();
    const enclaveClaims = new Map<string, ClassificationClaim[]>();
    for (const v of this.vpcs.values()) {
      const e = str(tagsOf(v.props).get(TAG.enclave));
      byVpc.set(v, { enclaves: new Set(e ? [e] : []), claims: [] });
    }
    for (const item of cfnResources(ctx)) {
      const tags = tagsOf(item.props);
      const cls = str(tags.get(TAG.classification));
      const enclave = str(tags.get(TAG.enclave));
      const what = `${String(item.resource.Type).replace(/^AWS::\w+::/, '')} ${item.logicalId}`;
      if (cls !== undefined && enclave !== undefined && item.resource.Type !== 'AWS::EC2::VPC') {
        const list = enclaveClaims.get(enclave) ?? [];
        list.push({ source: `${what} of enclave ${enclave}`, value: cls });
        enclaveClaims.set(enclave, list);
      }
      for (const vpcId of placements(item, this.subnets)) {
        const vpc = this.vpcs.get(vpcId);
        const e = vpc && byVpc.get(vpc);
        if (!e) continue;
        if (enclave !== undefined) e.enclaves.add(enclave);
        if (cls !== undefined) e.claims.push({ source: `${what} in the VPC`, value: cls });
      }
    }
    for (const [vpc, e] of byVpc) {
      const claims = [...e.claims];
      for (const name of [...e.enclaves].sort()) claims.push(...(enclaveClaims.get(name) ?? []));
      this.evidence.set(vpc, {
        own: tagsOf(vpc.props).get(TAG.classification),
        enclaves: [...e.enclaves].sort(),
        claims,
      });
    }
  }

  /** What the assembly says about a declared VPC's classification. */
  evidenceOf(vpc: CfnItem): VpcEvidence {
    return (
      this.evidence.get(vpc) ?? { own: tagsOf(vpc.props).get(TAG.classification), enclaves: [], claims: [] }
    );
  }

  /** Whether a declared VPC is restricted, from its own tag and the evidence around it. */
  restricted(vpc: CfnItem): boolean | Unknown {
    const e = this.evidenceOf(vpc);
    const own = e.own;
    if (typeof own === 'string' && RESTRICTED_CLASSIFICATIONS.includes(own)) return true;
    if (e.claims.some((c) => RESTRICTED_CLASSIFICATIONS.includes(c.value))) return true;
    if (isUnknown(own)) return own;
    if (own === 'public') return false;
    return new Unknown(
      own === undefined
        ? `VPC ${vpc.logicalId} carries no ${TAG.classification} tag`
        : `VPC ${vpc.logicalId} has unrecognised classification ${JSON.stringify(own)}`,
    );
  }

  /** Judges a VpcId value. A VPC outside the assembly cannot be judged. */
  vpc(vpcId: unknown): VpcVerdict {
    if (isUnknown(vpcId)) return { restricted: vpcId };
    const vpc = this.vpcs.get(vpcId);
    if (!vpc) return { restricted: new Unknown(`VPC ${String(vpcId)} is not declared in the assembly`) };
    return { vpc, restricted: this.restricted(vpc) };
  }
  subnet(subnetId: unknown): VpcVerdict {
    if (isUnknown(subnetId)) return { restricted: subnetId };
    if (!this.subnets.has(subnetId))
      return { restricted: new Unknown(`subnet ${String(subnetId)} is not declared in the assembly`) };
    return this.vpc(this.subnets.get(subnetId));
  }
  /** Every declared VPC. */
  all(): CfnItem[] {
    return [...new Set(this.vpcs.values())];
  }
}

export const describeVpc = (v: VpcVerdict): string => (v.vpc ? `VPC ${v.vpc.logicalId}` : 'a VPC');
