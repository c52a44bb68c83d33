/**
 * GEN-X-006 on generated hand edits of a transit-gateway federation path (the rule's own example:
 * manager enclave a 10.41.0.0/16, worker w 10.70.0.0/16 with its API at 10.70.0.10:6443): a route
 * to the gateway added in the manager's VPC is a finding unless it carries only the endpoint; a
 * return route added in the worker's VPC is a finding unless it stays within the manager's enclave.
 * Judged by the addresses each route covers, whatever CIDR text it is written with.
 */
import fc from 'fast-check';
import { route } from '../../policies/analysis/reach/examples/aws';
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

const fires = (edit: Parameters<typeof transitEnclaves>[0]): boolean =>
  evaluate(exampleArtifacts(transitEnclaves(edit)), [RULE]).some(
    (f) => f.ruleId === RULE.id && f.status === 'fail',
  );

test('the unedited path passes', () => {
  expect(fires(() => {})).toBe(false);
});

test("a route to the gateway in the manager's VPC is a finding unless it carries only the endpoint", () => {
  const endpoint = toInt('10.70.0.10');
  fc.assert(
    fc.property(cidrs, (c) => {
      const onlyEndpoint = c.first === endpoint && c.last === endpoint;
      expect(fires((r) => void (r.Extra = route('ARt', c.text, { TransitGatewayId: { Ref: 'Tgw' } })))).toBe(
        !onlyEndpoint,
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
