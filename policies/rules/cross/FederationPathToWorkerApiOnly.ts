import { defineRule } from '../../engine/rule-kit';
import { analyzeReach } from '../../analysis/reach';
import { federationPathDifferences } from '../../analysis/reach/federation-path';
import { route } from '../../analysis/reach/examples/aws';
import { federatedEnclave, TO_ENDPOINT } from '../../analysis/reach/examples/federation';

export default defineRule({
  id: 'GEN-X-006',
  title: "A federation manager reaches each off-site worker's API endpoint and nothing else of its enclave",
  pack: 'cross-target',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)', 'AC-4', 'CA-3', 'CA-9'],
  rationale:
    "A federation manager needs one thing of a worker on another site: its Kubernetes API, at the address and port platform.json declares (the worker's apiServer). Every layer that opens the manager's enclave toward the worker's is held to it by effect, over address sets and ports: a route to a VPN gateway, a VPN static route, a security group egress rule (so a /16 split into two /17s, 0.0.0.0/0 or a port range is seen for what it opens), and the manager's Kueue namespace egress in the cluster. Each declared endpoint must also be reached, and an opening into an enclave outside the assembly that no federation declares is a finding.",
  remediation:
    "Narrow the route, VPN static route, security group rule or NetworkPolicy the finding names to the worker's endpoint /32 and port, or declare the endpoint as the worker cluster's apiServer; restore a missing route, static route or egress so the declared endpoint is reached.",
  *check(ctx) {
    for (const d of federationPathDifferences(analyzeReach(ctx.artifacts)))
      yield { resource: d.resource, status: d.status, message: d.message };
  },
  examples: [
    {
      name: "a VPN carrying the endpoint /32, routed and let out on tcp/6443 only, and the manager's Kueue namespace reaching it on its port only",
      artifacts: federatedEnclave(),
      expect: { fires: false },
    },
    {
      name: 'the route to the VPN gateway widened to the whole worker enclave',
      artifacts: federatedEnclave((r) => {
        r.ToWorker = route('ARt', '10.70.0.0/16', { GatewayId: { Ref: 'Vgw' } });
      }),
      expect: {
        fires: true,
        message: /route ToWorker sends 10\.70\.0\.0\/29, 10\.70\.0\.8\/31.* beyond the federation path/,
      },
    },
    {
      name: 'a second VPN static route for half of the worker enclave',
      artifacts: federatedEnclave((r) => {
        r.Half = {
          Type: 'AWS::EC2::VPNConnectionRoute',
          Properties: { VpnConnectionId: { Ref: 'Vpn' }, DestinationCidrBlock: '10.70.128.0/17' },
        };
      }),
      expect: { fires: true, message: /VPN static route Half carries 10\.70\.128\.0\/17/ },
    },
    {
      name: "the nodes' egress widened to a port range",
      artifacts: federatedEnclave((r) => {
        (r.NodeEgress.Properties as Record<string, unknown>).SecurityGroupEgress = [
          { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, CidrIp: '10.70.0.10/32' },
        ];
      }),
      expect: { fires: true, message: /lets out tcp \(all ports\) to 10\.70\.0\.10, beyond tcp\/6443/ },
    },
    {
      name: 'a route into the worker enclave through a transit gateway',
      artifacts: federatedEnclave((r) => {
        r.Tgw = route('ARt', '10.70.64.0/18', { TransitGatewayId: 'tgw-0123456789abcdef0' });
      }),
      expect: {
        fires: true,
        message: /route Tgw sends 10\.70\.64\.0\/18 .* to a TransitGateway: no federation path/,
      },
    },
    {
      name: 'the route to the endpoint removed: the declared endpoint is not reached',
      artifacts: federatedEnclave((r) => {
        delete r.ToWorker;
      }),
      expect: { fires: true, message: /does not reach worker w's API 10\.70\.0\.10:6443/ },
    },
    {
      name: "the Kueue namespace's egress widened to the worker enclave",
      artifacts: federatedEnclave(undefined, [
        { ...TO_ENDPOINT, to: [{ ipBlock: { cidr: '10.70.0.0/16' } }] },
      ]),
      expect: {
        fires: true,
        message: /kueue-system -> enclave:w: tcp\/6443 to .*beyond the declared endpoints/,
      },
    },
  ],
});
