import { defineRule, isRecord } from '../../engine/rule-kit';
import { cfnResources } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { CidrSet, INTERNET } from '../../analysis/reach/cidr';
import { cfn } from '../../examples/builders';

/** The lowest port the stateless return traffic of outbound connections arrives on (Linux uses 32768+, AWS NAT 1024+). */
const EPHEMERAL_FROM = 1024;

const acl = { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: 'vpc-1' } };
const entry = (props: Record<string, unknown>) => ({
  Type: 'AWS::EC2::NetworkAclEntry',
  Properties: {
    NetworkAclId: { Ref: 'Acl' },
    Egress: false,
    RuleAction: 'allow',
    RuleNumber: 200,
    CidrBlock: '0.0.0.0/0',
    ...props,
  },
});

export default defineRule({
  id: 'GEN-AWS-NET-011',
  title: 'Network ACLs admit traffic from internet addresses only on ephemeral return ports',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)', 'AC-4'],
  rationale:
    'Network ACLs are stateless, so an enclave that reaches the internet through NAT must admit return traffic from anywhere, but only to TCP/UDP ephemeral ports. An inbound allow from 0.0.0.0/0 or ::/0 for all protocols, or for service ports below 1024, opens the subnets to connections initiated from the internet, whatever the security groups say next.',
  remediation: `Limit inbound allow entries from 0.0.0.0/0 and ::/0 to protocol 6 or 17 with a PortRange starting at ${EPHEMERAL_FROM} or above; admit other sources by their CIDR.`,
  *check(ctx) {
    for (const e of cfnResources(ctx, 'AWS::EC2::NetworkAclEntry')) {
      const p = e.props;
      if (p.Egress === true || p.Egress === 'true' || p.RuleAction === 'deny') continue;
      // a source that holds internet addresses (set arithmetic: 0.0.0.0/1 counts as surely as 0.0.0.0/0)
      const source = [p.CidrBlock, p.Ipv6CidrBlock].find(
        (c) => isUnknown(c) || (CidrSet.tryOf(c)?.overlaps(INTERNET) ?? false),
      );
      if (source === undefined) continue;
      if (
        isUnknown(source) ||
        isUnknown(p.Protocol) ||
        isUnknown(p.PortRange) ||
        isUnknown(p.Egress) ||
        isUnknown(p.RuleAction)
      ) {
        yield {
          resource: e.ref,
          status: 'unknown',
          message: 'could not decide the source, protocol or ports of an inbound network ACL entry',
        };
        continue;
      }
      const protocol = String(p.Protocol);
      const from = isRecord(p.PortRange) ? Number(p.PortRange.From) : NaN;
      if (protocol !== '6' && protocol !== '17')
        yield {
          resource: e.ref,
          status: 'fail',
          message: `admits protocol ${protocol === '-1' ? 'all' : protocol} from ${String(source)}`,
        };
      else if (!(from >= EPHEMERAL_FROM))
        yield {
          resource: e.ref,
          status: 'fail',
          message: `admits ports from ${Number.isNaN(from) ? 'all' : from} from ${String(source)}`,
        };
    }
  },
  examples: [
    {
      name: 'an inbound allow of every protocol from 128.0.0.0/1 (half of the internet)',
      artifacts: cfn({ Acl: acl, In: entry({ Protocol: -1, CidrBlock: '128.0.0.0/1' }) }),
      expect: { fires: true, message: /admits protocol all from 128\.0\.0\.0\/1/ },
    },
    {
      name: 'an entry from anywhere on the ephemeral ports 1024-65535',
      artifacts: cfn({ Acl: acl, In: entry({ Protocol: 6, PortRange: { From: 1024, To: 65535 } }) }),
      expect: { fires: false },
    },
    {
      name: "an entry of all protocols from the VPC's range",
      artifacts: cfn({ Acl: acl, In: entry({ Protocol: -1, CidrBlock: '10.40.0.0/16' }) }),
      expect: { fires: false },
    },
    {
      name: 'an egress entry to anywhere',
      artifacts: cfn({ Acl: acl, Out: entry({ Protocol: -1, Egress: true }) }),
      expect: { fires: false },
    },
    {
      name: 'an inbound entry of all protocols from 0.0.0.0/0',
      artifacts: cfn({ Acl: acl, In: entry({ Protocol: -1 }) }),
      expect: { fires: true, message: /admits protocol all from 0\.0\.0\.0\/0/ },
    },
    {
      name: 'SSH (port 22) from 0.0.0.0/0',
      artifacts: cfn({ Acl: acl, In: entry({ Protocol: 6, PortRange: { From: 22, To: 22 } }) }),
      expect: { fires: true, message: /admits ports from 22 from 0\.0\.0\.0\/0/ },
    },
    {
      name: 'all UDP ports from ::/0',
      artifacts: cfn({ Acl: acl, In: entry({ Protocol: 17, CidrBlock: undefined, Ipv6CidrBlock: '::/0' }) }),
      expect: { fires: true, message: /admits ports from all from ::\/0/ },
    },
  ],
});
