/** Which VPC a network resource belongs to, and whether that VPC is a restricted enclave. */
import { isRestrictedVpc, subnetVpcs, vpcsByRef } from './rule-kit';
import type { CfnItem } from './cfn/template';
import { isUnknown, Unknown } from './cfn/resolve';
import type { RuleContext } from './types';

export interface VpcVerdict {
  /** The VPC resource, when the assembly declares it. */
  readonly vpc?: CfnItem;
  readonly restricted: boolean | Unknown;
}

export class VpcIndex {
  private readonly vpcs: Map<unknown, CfnItem>;
  private readonly subnets: Map<unknown, unknown>;
  constructor(ctx: RuleContext) {
    this.vpcs = vpcsByRef(ctx);
    this.subnets = subnetVpcs(ctx);
  }
  /** Judges a VpcId value. A VPC outside the assembly cannot be judged. */
  vpc(vpcId: unknown): VpcVerdict {
    if (isUnknown(vpcId)) return { restricted: vpcId };
    const vpc = this.vpcs.get(vpcId);
    if (!vpc) return { restricted: new Unknown(`VPC ${String(vpcId)} is not declared in the assembly`) };
    return { vpc, restricted: isRestrictedVpc(vpc) };
  }
  subnet(subnetId: unknown): VpcVerdict {
    if (isUnknown(subnetId)) return { restricted: subnetId };
    if (!this.subnets.has(subnetId)) return { restricted: new Unknown(`subnet ${String(subnetId)} is not declared in the assembly`) };
    return this.vpc(this.subnets.get(subnetId));
  }
}

export const describeVpc = (v: VpcVerdict): string => (v.vpc ? `VPC ${v.vpc.logicalId}` : 'a VPC');

/** A restricted-enclave VPC for examples. */
export const restrictedVpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.41.0.0/16', Tags: [{ Key: 'genesis:classification', Value: 'cui' }] } };
export const publicVpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.40.0.0/16', Tags: [{ Key: 'genesis:classification', Value: 'public' }] } };
