/**
 * Hand edits of the federation path in the default output (manager gw-gpu in enclave gw-cui, worker
 * aurora-gpu's API at 10.70.0.10:6443 in aurora-cui, behind a VPN), as an insider would make them:
 * each opens more of the worker's enclave than the declared endpoint, or cuts the endpoint off, and
 * each is caught by GEN-X-006 with the resource named.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { copyOfDefault, editJson, editYaml, logicalId } from './support/default-output';
import { baselineFindings, expectCaught } from './support/tamper-run';

const RULE = 'GEN-X-006';
const SITE = 'aws/Site-govcloud-west.template.json';
const MANAGER = 'k8s/govcloud-west/gw-gpu/cluster.yaml';
const POLICY = 'k8s:govcloud-west/gw-gpu/NetworkPolicy/kueue-system/genesis-federation-egress';
const aws = (id: string) => `aws:Site-govcloud-west/${id}`;
type Template = Record<string, any>;

const site = (dir: string, fn: (t: Template) => string): string => {
  let id = '';
  editJson(path.join(dir, SITE), (t) => {
    id = fn(t);
  });
  return id;
};
const routesToVgw = (t: Template): string[] => {
  const vgw = logicalId(t, 'AWS::EC2::VPNGateway');
  return Object.keys(t.Resources)
    .filter(
      (id) => t.Resources[id].Type === 'AWS::EC2::Route' && t.Resources[id].Properties.GatewayId?.Ref === vgw,
    )
    .sort();
};
const nodeEgress = (t: Template) =>
  logicalId(t, 'AWS::EC2::SecurityGroup', (r) =>
    /API endpoints of its workers/.test(r.Properties.GroupDescription),
  );
const kueuePolicy = (dir: string, fn: (spec: Record<string, any>) => void) =>
  editYaml(path.join(dir, MANAGER), (os) => {
    const np = os.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'genesis-federation-egress');
    if (!np) throw new Error('no federation egress policy');
    fn(np.spec);
    return os;
  });

beforeAll(() => baselineFindings(), 180_000);

describe('the default federation path', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyOfDefault();
  }, 120_000);
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('is open from gw-cui to aurora-cui, declared, with its witness: route -> VPN gateway -> static route -> egress', async () => {
    let out = '';
    const code = await main(['reach', dir, '--from', 'gw-cui', '--to', 'aurora-cui', '--json'], {
      out: (t) => (out += t),
      err: (t) => (out += t),
    });
    expect(code).toBe(0);
    const r = JSON.parse(out).result;
    expect(r.enclaveMatrix).toEqual([
      expect.objectContaining({ from: 'gw-cui', to: 'aurora-cui', reach: 'open', declared: true }),
    ]);
    expect(r.enclaveMatrix[0].summary).toMatch(/^tcp\/6443 to 10\.70\.0\.10\/32 \(through VPN gateway /);
    const [o] = r.openings;
    expect(o).toMatchObject({ from: 'gw-cui', to: 'aurora-cui', status: 'open', cidrs: ['10.70.0.10/32'] });
    expect(o.witness.map((w: { text: string }) => w.text.split(' ')[0])).toEqual([
      'subnet',
      'route',
      'VPN',
      'security',
    ]);
    expect(r.federationPaths).toEqual([
      expect.objectContaining({
        federation: 'national',
        from: 'gw-cui',
        to: 'aurora-cui',
        endpoint: '10.70.0.10:6443',
        aws: 'reached',
        cluster: 'reached',
        differences: 0,
      }),
    ]);
    expect(r.differences).toEqual([]);
  });
});

describe('an insider opens more of the worker enclave than its API', () => {
  test('the route to the VPN gateway widened to 10.70.0.0/16', () =>
    expectCaught((dir) => {
      const id = site(dir, (t) => {
        const [r] = routesToVgw(t);
        t.Resources[r].Properties.DestinationCidrBlock = '10.70.0.0/16';
        return r;
      });
      return { rule: RULE, resource: aws(id), file: SITE };
    }));

  test('a second route to the VPN gateway for 10.70.0.0/17', () =>
    expectCaught((dir) => {
      site(dir, (t) => {
        const [r] = routesToVgw(t);
        t.Resources.InsiderRoute = {
          Type: 'AWS::EC2::Route',
          Properties: { ...t.Resources[r].Properties, DestinationCidrBlock: '10.70.0.0/17' },
        };
        return 'InsiderRoute';
      });
      return { rule: RULE, resource: aws('InsiderRoute'), file: SITE };
    }));

  test("the nodes' egress widened to every TCP port of the endpoint", () =>
    expectCaught((dir) => {
      const id = site(dir, (t) => {
        const sg = nodeEgress(t);
        Object.assign(t.Resources[sg].Properties.SecurityGroupEgress[0], { FromPort: 0, ToPort: 65535 });
        return sg;
      });
      return { rule: RULE, resource: aws(id), file: SITE };
    }));

  test("the nodes' egress widened to the worker enclave", () =>
    expectCaught((dir) => {
      const id = site(dir, (t) => {
        const sg = nodeEgress(t);
        t.Resources[sg].Properties.SecurityGroupEgress[0].CidrIp = '10.70.0.0/16';
        return sg;
      });
      return { rule: RULE, resource: aws(id), file: SITE };
    }));

  test('a VPN static route for the whole worker enclave', () =>
    expectCaught((dir) => {
      site(dir, (t) => {
        const conn = logicalId(t, 'AWS::EC2::VPNConnection');
        t.Resources.InsiderStatic = {
          Type: 'AWS::EC2::VPNConnectionRoute',
          Properties: { VpnConnectionId: { Ref: conn }, DestinationCidrBlock: '10.70.0.0/16' },
        };
        return 'InsiderStatic';
      });
      return { rule: RULE, resource: aws('InsiderStatic'), file: SITE };
    }));

  test("the Kueue namespace's egress ipBlock widened to the worker enclave", () =>
    expectCaught((dir) => {
      kueuePolicy(dir, (spec) => {
        const rule = spec.egress.find((e: any) => e.to[0].ipBlock?.cidr === '10.70.0.10/32');
        rule.to[0].ipBlock.cidr = '10.70.0.0/16';
      });
      return { rule: RULE, resource: POLICY, file: MANAGER };
    }));

  test("an except-less ipBlock of 0.0.0.0/0 added to the Kueue namespace's egress", () =>
    expectCaught((dir) => {
      kueuePolicy(dir, (spec) => {
        spec.egress.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] });
      });
      return { rule: RULE, resource: POLICY, file: MANAGER };
    }));
});

describe('an insider cuts the worker off', () => {
  test('the routes to the endpoint removed: the declared endpoint is not reached', () =>
    expectCaught((dir) => {
      let vpc = '';
      site(dir, (t) => {
        for (const r of routesToVgw(t)) delete t.Resources[r];
        vpc = logicalId(t, 'AWS::EC2::VPC', (r) => r.Properties.CidrBlock === '10.41.0.0/16');
        return vpc;
      });
      return { rule: RULE, resource: aws(vpc), file: SITE };
    }));
});
