import { defineRule } from '../../engine/rule-kit';
import { analyzeReach } from '../../analysis/reach';
import { igw, peering, route, sg, twoEnclaves } from '../../analysis/reach/examples/aws';

export default defineRule({
  id: 'GEN-AWS-NET-020',
  title: 'Enclave network reach on AWS matches the declared intent',
  pack: 'aws-network',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)', 'AC-4', 'CA-9'],
  rationale:
    'What an enclave can reach is decided by routes (longest prefix first, through NAT gateways and network firewalls), network ACLs, security groups and DNS firewalls together, not by any one literal. The analysis computes it over address sets and holds it to platform.json: an enclave reaches only the enclaves whose reachableFrom names it, the internet only through its egress allow-list (a restricted enclave not at all), and its resolver answers only allowed names.',
  remediation:
    'Remove the route, rule or policy the witness names, or declare the path in the platform spec (reachableFrom, egress allow-list) and synthesize again.',
  *check(ctx) {
    for (const d of analyzeReach(ctx.artifacts).differences)
      if (d.target === 'aws') yield { resource: d.resource, status: d.status, message: d.message };
  },
  examples: [
    {
      name: 'two peered enclaves with no route between them',
      artifacts: twoEnclaves({ Pcx: peering }),
      expect: { fires: false },
    },
    {
      name: 'the public enclave reaches every internet address through an internet gateway, beyond its allow-list',
      artifacts: twoEnclaves({
        ...igw('B'),
        Default: route('BRt', '0.0.0.0/0', { GatewayId: { Ref: 'BIgw' } }),
      }),
      expect: {
        fires: true,
        message: /b -> internet: addresses .*internet gateway.*beyond the egress allow-list/,
      },
    },
    {
      name: 'a default route split in two halves to an internet gateway in the CUI enclave',
      artifacts: twoEnclaves({
        ...igw('A'),
        Lo: route('ARt', '0.0.0.0/1', { GatewayId: { Ref: 'AIgw' } }),
        Hi: route('ARt', '128.0.0.0/1', { GatewayId: { Ref: 'AIgw' } }),
      }),
      expect: { fires: true, message: /a -> internet: .*declares no egress/ },
    },
    {
      name: 'a route to a transit gateway leaves the CUI enclave',
      artifacts: twoEnclaves({
        Tgw: route('ARt', '172.16.0.0/12', { TransitGatewayId: 'tgw-0123456789abcdef0' }),
      }),
      expect: { fires: true, message: /transit gateway/ },
    },
    {
      name: 'the public enclave opens a listener to the CUI enclave over peering (not in reachableFrom)',
      artifacts: twoEnclaves({
        Pcx: peering,
        Fwd: route('ARt', '10.40.0.0/16', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
        Back: route('BRt', '10.41.0.0/16', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
        Sg: sg('A', [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.40.0.0/16' }]),
      }),
      expect: { fires: true, message: /b -> a: tcp\/443.*does not list b in reachableFrom/ },
    },
    {
      name: 'the same listener when the intent declares b in reachableFrom of a',
      artifacts: (() => {
        const x = twoEnclaves({
          Pcx: peering,
          Fwd: route('ARt', '10.40.0.0/16', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
          Back: route('BRt', '10.41.0.0/16', { VpcPeeringConnectionId: { Ref: 'Pcx' } }),
          Sg: sg('A', [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.40.0.0/16' }]),
        });
        const intent = x.intent as { enclaves: Array<{ reachableFrom: string[] }> };
        intent.enclaves[0].reachableFrom = ['b'];
        return x;
      })(),
      expect: { fires: false },
    },
  ],
});
