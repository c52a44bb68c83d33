/**
 * GEN-X-006 on generated hand edits of the federation path (the rule's own examples: manager
 * enclave a 10.41.0.0/16, worker w 10.70.0.0/16 with its API at 10.70.0.10:6443), judged by the
 * addresses each edit covers, whatever CIDR text it is written with.
 *
 * - Through a transit gateway: a route to the gateway added in the manager's VPC is a finding
 *   unless it carries only the endpoint; a return route added in the worker's VPC is a finding
 *   unless it stays within the manager's enclave.
 * - Through a VPN: a route to the VPN gateway or a VPN static route is a finding unless it carries
 *   only the endpoint; an egress rule of the manager's nodes on the API port is a finding when it
 *   lets out any address of the worker's enclave but the endpoint.
 */
import fc from 'fast-check';
import { route } from '../../policies/analysis/reach/examples/aws';
import { federatedEnclave, TO_ENDPOINT } from '../../policies/analysis/reach/examples/federation';
import { transitEnclaves } from '../../policies/analysis/reach/examples/federation-transit';
import { exampleArtifacts } from '../../policies/engine/examples';
import { evaluate } from '../../policies/engine/run';
import { RULES } from '../../policies/registry';

const RULE = RULES.find((r) => r.id === 'GEN-X-006')!;

const toInt = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** A CIDR with its host bits cleared, as AWS requires. */
const cidrOf = (address: number, prefix: number): { text: string; first: number; last: number } => {
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return { text: `${toIp(first)}/${prefix}`, first, last: first + size - 1 };
};

/** Anywhere, and near the endpoint and the manager's enclave, where a widening hides best. */
const cidrs = fc
  .oneof(
    fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 })),
    fc.tuple(
      fc.integer({ min: toInt('10.70.0.0'), max: toInt('10.70.0.255') }),
      fc.integer({ min: 20, max: 32 }),
    ),
    fc.tuple(
      fc.integer({ min: toInt('10.40.0.0'), max: toInt('10.42.255.255') }),
      fc.integer({ min: 12, max: 28 }),
    ),
  )
  .map(([address, prefix]) => cidrOf(address, prefix));

type Edit = (r: Record<string, Record<string, unknown>>) => void;
const firesOn = (artifacts: ReturnType<typeof transitEnclaves>): boolean =>
  evaluate(exampleArtifacts(artifacts), [RULE]).some((f) => f.ruleId === RULE.id && f.status === 'fail');
const fires = (edit: Edit): boolean => firesOn(transitEnclaves(edit));
const firesVpn = (edit: Edit): boolean => firesOn(federatedEnclave(edit));

const ENDPOINT = toInt('10.70.0.10');
const WORKER = cidrOf(toInt('10.70.0.0'), 16);
const onlyEndpoint = (c: { first: number; last: number }): boolean =>
  c.first === ENDPOINT && c.last === ENDPOINT;

test('the unedited paths pass', () => {
  expect(fires(() => {})).toBe(false);
  expect(firesVpn(() => {})).toBe(false);
});

test("a route to the gateway in the manager's VPC is a finding unless it carries only the endpoint", () => {
  fc.assert(
    fc.property(cidrs, (c) => {
      expect(fires((r) => void (r.Extra = route('ARt', c.text, { TransitGatewayId: { Ref: 'Tgw' } })))).toBe(
        !onlyEndpoint(c),
      );
    }),
    { numRuns: 150 },
  );
});

test("a return route to the gateway in the worker's VPC is a finding unless it stays within the manager's enclave", () => {
  const enclave = cidrOf(toInt('10.41.0.0'), 16);
  fc.assert(
    fc.property(cidrs, (c) => {
      const within = c.first >= enclave.first && c.last <= enclave.last;
      expect(fires((r) => void (r.Extra = route('WRt', c.text, { TransitGatewayId: { Ref: 'Tgw' } })))).toBe(
        !within,
      );
    }),
    { numRuns: 150 },
  );
});

test('a route to the VPN gateway or a VPN static route is a finding unless it carries only the endpoint', () => {
  fc.assert(
    fc.property(cidrs, fc.boolean(), (c, staticRoute) => {
      const edit: Edit = staticRoute
        ? (r) =>
            void (r.Extra = {
              Type: 'AWS::EC2::VPNConnectionRoute',
              Properties: { VpnConnectionId: { Ref: 'Vpn' }, DestinationCidrBlock: c.text },
            })
        : (r) => void (r.Extra = route('ARt', c.text, { GatewayId: { Ref: 'Vgw' } }));
      expect(firesVpn(edit)).toBe(!onlyEndpoint(c));
    }),
    { numRuns: 150 },
  );
});

test("an egress rule of the manager's nodes on the API port is a finding when it lets out more of the worker's enclave", () => {
  fc.assert(
    fc.property(cidrs, (c) => {
      const overlaps = c.first <= WORKER.last && c.last >= WORKER.first;
      const edit: Edit = (r) => {
        const props = r.NodeEgress.Properties as { SecurityGroupEgress: unknown[] };
        props.SecurityGroupEgress = [
          ...props.SecurityGroupEgress,
          { IpProtocol: 'tcp', FromPort: 6443, ToPort: 6443, CidrIp: c.text },
        ];
      };
      expect(firesVpn(edit)).toBe(overlaps && !onlyEndpoint(c));
    }),
    { numRuns: 150 },
  );
});

test("an egress rule of the Kueue namespace is a finding when it lets out more of the worker's enclave, with or without except", () => {
  fc.assert(
    fc.property(cidrs, fc.option(cidrs, { nil: undefined }), (c, hole) => {
      // What the rule lets out of the worker's enclave: c minus the except, if the except is in c.
      const except =
        hole && hole.first >= c.first && hole.last <= c.last && hole.text !== c.text ? hole : undefined;
      const out = (a: number) =>
        a >= c.first && a <= c.last && !(except && a >= except.first && a <= except.last);
      const lo = Math.max(c.first, WORKER.first);
      const hi = Math.min(c.last, WORKER.last);
      // Some address of the worker's enclave other than the endpoint is let out.
      const beyond =
        lo <= hi &&
        [
          lo,
          hi,
          ENDPOINT - 1,
          ENDPOINT + 1,
          except ? except.first - 1 : lo,
          except ? except.last + 1 : hi,
        ].some((a) => a >= lo && a <= hi && a !== ENDPOINT && out(a));
      const egress = [
        TO_ENDPOINT,
        {
          to: [{ ipBlock: { cidr: c.text, ...(except ? { except: [except.text] } : {}) } }],
          ports: [{ protocol: 'TCP', port: 6443 }],
        },
      ];
      expect(firesOn(federatedEnclave(() => {}, egress))).toBe(beyond);
    }),
    { numRuns: 150 },
  );
});
