import { defineRule } from '../../engine/rule-kit';
import { analyzeReach } from '../../analysis/reach';
import { federationPathDifferences } from '../../analysis/reach/federation-path';
import { route, vpc } from '../../analysis/reach/examples/aws';
import { federatedEnclave, TO_ENDPOINT } from '../../analysis/reach/examples/federation';
import { transitEnclaves } from '../../analysis/reach/examples/federation-transit';

export default defineRule({
  id: 'GEN-X-006',
  title: "A federation manager reaches each off-site worker's API endpoint and nothing else of its enclave",
  pack: 'cross-target',
  severity: 'error',
  controls: ['SC-7', 'SC-7(5)', 'AC-4', 'CA-3', 'CA-9'],
  rationale:
    "A federation manager needs one thing of a worker on another site: its Kubernetes API, at the address and port platform.json declares (the worker's apiServer). Every layer that opens the manager's enclave toward the worker's is held to it by effect, over address sets and ports: a route to a VPN gateway, a VPN static route, a security group egress rule (so a /16 split into two /17s, 0.0.0.0/0 or a port range is seen for what it opens), and the manager's Kueue namespace egress in the cluster. A worker in a partner's AWS account is reached through a transit gateway of the manager's site, linked from the artifacts alone (the partner stack's SSM-typed parameter defaults to the ARN of the site stack's parameter holding the gateway's id): it joins one manager enclave and its declared workers of one site, the manager routes only the endpoints to it, the worker only the manager's enclave back, and the gateway and its parameter are shared by AWS RAM with the workers' accounts only. Each declared endpoint must also be reached, and an opening into an enclave outside the assembly that no federation declares, a RAM share of anything else or a transit-gateway resource the analysis does not evaluate (a route table, a static route, another kind of attachment) is a finding.",
  remediation:
    "Narrow the route, VPN static route, security group rule or NetworkPolicy the finding names to the worker's endpoint /32 and port (a worker's return route to the manager's enclave), or declare the endpoint as the worker cluster's apiServer; share a transit gateway with the partner's account only, attach only the manager's and its workers' VPCs, and remove transit-gateway resources the platform does not make; restore a missing route, static route, attachment, share or egress so the declared endpoint is reached.",
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
      name: 'a transit gateway joining the manager enclave to the worker enclave, routed to the endpoint /32 and back to the manager only',
      artifacts: transitEnclaves(),
      expect: { fires: false },
    },
    {
      name: 'a third VPC attached to the transit gateway',
      artifacts: transitEnclaves((r) => {
        Object.assign(r, vpc('X', '10.90.0.0/16', '10.90.0.0/24'), {
          XAttach: {
            Type: 'AWS::EC2::TransitGatewayAttachment',
            Properties: {
              TransitGatewayId: { Ref: 'Tgw' },
              VpcId: { Ref: 'XVpc' },
              SubnetIds: [{ Ref: 'XSub' }],
            },
          },
        });
      }),
      expect: {
        fires: true,
        message: /attachment XAttach joins x, which no federation path across it needs/,
      },
    },
    {
      name: 'an attachment in subnets the assembly does not hold (what the gateway delivers follows their route tables)',
      artifacts: transitEnclaves((r) => {
        (r.WAttach as { Properties: Record<string, unknown> }).Properties.SubnetIds = ['subnet-0handmade1'];
      }),
      // The attachment cannot be followed, so the endpoint is not reached either, and the manager's
      // route and attachment carry no declared path.
      expect: {
        fires: true,
        message:
          /are not subnets of the assembly in the attached VPC|does not reach worker w's API|beyond the federation path/,
      },
    },
    {
      name: "the worker's return route widened to 0.0.0.0/0",
      artifacts: transitEnclaves((r) => {
        r.Back = route('WRt', '0.0.0.0/0', { TransitGatewayId: { Ref: 'Tgw' } });
      }),
      expect: {
        fires: true,
        message: /route Back sends .* to transit gateway Tgw, beyond the federation path/,
      },
    },
    {
      name: 'the transit gateway shared with another account',
      artifacts: transitEnclaves((r) => {
        r.Share = {
          Type: 'AWS::RAM::ResourceShare',
          Properties: {
            Name: 'x',
            Principals: ['444455556666'],
            ResourceArns: [
              {
                'Fn::Join': [
                  '',
                  ['arn:aws-us-gov:ec2:us-gov-west-1:111122223333:transit-gateway/', { Ref: 'Tgw' }],
                ],
              },
            ],
          },
        };
      }),
      expect: { fires: true, message: /RAM share Share shares transit gateway Tgw .* with 444455556666/ },
    },
    {
      name: 'a transit gateway route table added by hand',
      artifacts: transitEnclaves((r) => {
        r.Table = {
          Type: 'AWS::EC2::TransitGatewayRouteTable',
          Properties: { TransitGatewayId: { Ref: 'Tgw' } },
        };
      }),
      expect: {
        fires: true,
        message: /TransitGatewayRouteTable Table is a transit gateway resource .* does not evaluate/,
      },
    },
    {
      name: "the worker's return route removed: the declared endpoint is not reached",
      artifacts: transitEnclaves((r) => {
        delete r.Back;
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
