/**
 * Hand edits of the federation path to a partner site hosted in the partner's AWS account (manager
 * gw-gpu in gw-cui 10.41.0.0/16, worker aurora-eks's API at 10.71.0.10:443 in aurora-aws-cui,
 * across a transit gateway of Site-govcloud-west shared with account 210987654321), as an insider
 * would make them in either account: each opens more than the declared endpoint, shares the
 * gateway beyond the partner, joins another VPC, adds a transit-gateway resource the analysis does
 * not evaluate, or cuts the endpoint off; GEN-X-006 names the resource and the file (exit 1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { PARTNER_AWS_STACK } from '../fixtures/partner-aws';
import { editJson, logicalId } from './support/default-output';
import { copyOfPartnerAws } from './support/partner-aws-output';
import { baselineFindings, expectCaught, type Expected } from './support/tamper-run';

const RULE = 'GEN-X-006';
const SITE_STACK = 'Site-govcloud-west';
const SITE = `aws/${SITE_STACK}.template.json`;
const PARTNER = `aws/${PARTNER_AWS_STACK}.template.json`;
type Template = Record<string, any>;

/** Edits a template; `fn` returns the logical id the finding must name. */
function edit(dir: string, file: string, fn: (t: Template) => string): Expected {
  let id = '';
  editJson(path.join(dir, file), (t) => {
    id = fn(t);
  });
  const stack = file === SITE ? SITE_STACK : PARTNER_AWS_STACK;
  return { rule: RULE, resource: `aws:${stack}/${id}`, file };
}
const caught = (file: string, fn: (t: Template) => string) =>
  expectCaught((dir) => edit(dir, file, fn), copyOfPartnerAws);

const tgw = (t: Template) => logicalId(t, 'AWS::EC2::TransitGateway');
const share = (t: Template) => logicalId(t, 'AWS::RAM::ResourceShare');
/** Routes to the transit gateway, by logical id. */
const tgwRoutes = (t: Template): string[] =>
  Object.keys(t.Resources)
    .filter((id) => t.Resources[id].Type === 'AWS::EC2::Route' && t.Resources[id].Properties.TransitGatewayId)
    .sort();
const partnerAttachment = (t: Template) => logicalId(t, 'AWS::EC2::TransitGatewayAttachment');

beforeAll(() => baselineFindings(copyOfPartnerAws), 240_000);

describe('the federation path to the partner on AWS', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await copyOfPartnerAws();
  }, 240_000);
  afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('is reached from gw-cui through the transit gateway, declared, with its witness', async () => {
    let out = '';
    const code = await main(['reach', dir, '--from', 'gw-cui', '--to', 'aurora-aws-cui', '--json'], {
      out: (t) => (out += t),
      err: (t) => (out += t),
    });
    expect(code).toBe(0);
    const r = JSON.parse(out).result;
    expect(r.federationPaths).toEqual([
      expect.objectContaining({
        federation: 'national',
        from: 'gw-cui',
        to: 'aurora-aws-cui',
        endpoint: '10.71.0.10:443',
        aws: 'reached',
        differences: 0,
      }),
    ]);
    const witness: string[] = r.federationPaths[0].awsWitness;
    expect(witness.map((w) => w.split(' ')[0])).toEqual([
      'subnet',
      'route',
      'attachment',
      'parameter',
      'attachment',
      'return',
      'security',
      'security',
    ]);
    expect(witness[3]).toMatch(/both shared with account 210987654321 by AWS RAM/);
    expect(r.differences).toEqual([]);
  });
});

describe("an insider widens the manager's routes to the transit gateway", () => {
  test('a route widened to 10.71.0.10/31', () =>
    caught(SITE, (t) => {
      const [r] = tgwRoutes(t);
      t.Resources[r].Properties.DestinationCidrBlock = '10.71.0.10/31';
      return r;
    }));

  test('the worker enclave split in two /17s, each routed to the gateway', () =>
    caught(SITE, (t) => {
      const [r] = tgwRoutes(t);
      t.Resources.InsiderHalf = {
        Type: 'AWS::EC2::Route',
        Properties: { ...t.Resources[r].Properties, DestinationCidrBlock: '10.71.128.0/17' },
      };
      t.Resources[r].Properties.DestinationCidrBlock = '10.71.0.0/17';
      return r;
    }));

  test('a default route to the gateway', () =>
    caught(SITE, (t) => {
      const [r] = tgwRoutes(t);
      t.Resources.InsiderDefault = {
        Type: 'AWS::EC2::Route',
        Properties: { ...t.Resources[r].Properties, DestinationCidrBlock: '0.0.0.0/0' },
      };
      return 'InsiderDefault';
    }));

  test("the nodes' egress widened to the partner's enclave", () =>
    caught(SITE, (t) => {
      const sg = logicalId(t, 'AWS::EC2::SecurityGroup', (r) =>
        /API endpoints of its workers/.test(r.Properties.GroupDescription),
      );
      const rule = t.Resources[sg].Properties.SecurityGroupEgress.find(
        (e: Record<string, unknown>) => e.CidrIp === '10.71.0.10/32',
      );
      rule.CidrIp = '10.71.0.0/16';
      return sg;
    }));
});

describe("an insider widens the partner's return routes", () => {
  test('a return route widened to 10.0.0.0/8', () =>
    caught(PARTNER, (t) => {
      const [r] = tgwRoutes(t);
      t.Resources[r].Properties.DestinationCidrBlock = '10.0.0.0/8';
      return r;
    }));

  test('a default route to the gateway added in the partner VPC', () =>
    caught(PARTNER, (t) => {
      const [r] = tgwRoutes(t);
      t.Resources.InsiderDefault = {
        Type: 'AWS::EC2::Route',
        Properties: { ...t.Resources[r].Properties, DestinationCidrBlock: '0.0.0.0/0' },
      };
      return 'InsiderDefault';
    }));
});

describe('an insider shares the gateway beyond the partner', () => {
  test("another account added to the share's principals", () =>
    caught(SITE, (t) => {
      const id = share(t);
      t.Resources[id].Properties.Principals.push('444455556666');
      return id;
    }));

  test('the share given to an organization', () =>
    caught(SITE, (t) => {
      const id = share(t);
      t.Resources[id].Properties.Principals = [
        'arn:aws-us-gov:organizations::111122223333:organization/o-a1b2c3d4e5',
      ];
      return id;
    }));

  test('a second share of the parameter, external principals allowed, with another account', () =>
    caught(SITE, (t) => {
      const id = share(t);
      t.Resources.InsiderShare = {
        Type: 'AWS::RAM::ResourceShare',
        Properties: {
          Name: 'insider',
          AllowExternalPrincipals: true,
          Principals: ['444455556666'],
          ResourceArns: [t.Resources[id].Properties.ResourceArns[1]],
        },
      };
      return 'InsiderShare';
    }));

  test('a subnet of the manager enclave added to the share', () =>
    caught(SITE, (t) => {
      const id = share(t);
      const subnet = logicalId(t, 'AWS::EC2::Subnet', (r) => /^10\.41\./.test(r.Properties.CidrBlock));
      t.Resources[id].Properties.ResourceArns.push({
        'Fn::Join': ['', ['arn:aws-us-gov:ec2:us-gov-west-1:111122223333:subnet/', { Ref: subnet }]],
      });
      return id;
    }));
});

describe('an insider joins another VPC to the gateway', () => {
  test("the manager site's other enclave attached", () =>
    caught(SITE, (t) => {
      const open = logicalId(t, 'AWS::EC2::VPC', (r) => r.Properties.CidrBlock === '10.40.0.0/16');
      const subnet = logicalId(t, 'AWS::EC2::Subnet', (r) => /^10\.40\./.test(r.Properties.CidrBlock));
      t.Resources.InsiderAttachment = {
        Type: 'AWS::EC2::TransitGatewayAttachment',
        Properties: { TransitGatewayId: { Ref: tgw(t) }, VpcId: { Ref: open }, SubnetIds: [{ Ref: subnet }] },
      };
      return 'InsiderAttachment';
    }));

  test("a second VPC in the partner's account attached through the shared parameter", () =>
    caught(PARTNER, (t) => {
      const attachment = t.Resources[partnerAttachment(t)];
      t.Resources.InsiderVpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.72.0.0/16' } };
      t.Resources.InsiderSubnet = {
        Type: 'AWS::EC2::Subnet',
        Properties: { VpcId: { Ref: 'InsiderVpc' }, CidrBlock: '10.72.0.0/24' },
      };
      t.Resources.InsiderAttachment = {
        Type: 'AWS::EC2::TransitGatewayAttachment',
        Properties: {
          TransitGatewayId: attachment.Properties.TransitGatewayId,
          VpcId: { Ref: 'InsiderVpc' },
          SubnetIds: [{ Ref: 'InsiderSubnet' }],
        },
      };
      return 'InsiderAttachment';
    }));
});

describe('an insider adds transit-gateway resources the analysis does not evaluate', () => {
  test('a static transit gateway route', () =>
    caught(SITE, (t) => {
      t.Resources.InsiderTgwRoute = {
        Type: 'AWS::EC2::TransitGatewayRoute',
        Properties: {
          TransitGatewayRouteTableId: 'tgw-rtb-0123456789abcdef0',
          DestinationCidrBlock: '0.0.0.0/0',
        },
      };
      return 'InsiderTgwRoute';
    }));

  test('a transit gateway route table', () =>
    caught(SITE, (t) => {
      t.Resources.InsiderTgwTable = {
        Type: 'AWS::EC2::TransitGatewayRouteTable',
        Properties: { TransitGatewayId: { Ref: tgw(t) } },
      };
      return 'InsiderTgwTable';
    }));

  test("the partner's attachment pointed at a gateway id written by hand", () =>
    caught(PARTNER, (t) => {
      const id = partnerAttachment(t);
      t.Resources[id].Properties.TransitGatewayId = 'tgw-0123456789abcdef0';
      return id;
    }));

  test("the gateway id parameter allowed another account's parameter at deploy time", () =>
    caught(PARTNER, (t) => {
      const id = partnerAttachment(t);
      const param = t.Parameters[t.Resources[id].Properties.TransitGatewayId.Ref];
      param.AllowedValues = [param.Default, 'arn:aws-us-gov:ssm:us-gov-west-1:444455556666:parameter/tgw-id'];
      return id;
    }));

  test('the gateway id parameter pinned to a value other than its default', () =>
    caught(PARTNER, (t) => {
      const id = partnerAttachment(t);
      const param = t.Parameters[t.Resources[id].Properties.TransitGatewayId.Ref];
      param.AllowedValues = ['arn:aws-us-gov:ssm:us-gov-west-1:444455556666:parameter/tgw-id'];
      return id;
    }));

  test("the partner's attachment placed in subnets the assembly does not hold", () =>
    caught(PARTNER, (t) => {
      const id = partnerAttachment(t);
      t.Resources[id].Properties.SubnetIds = ['subnet-0handmade1'];
      return id;
    }));
});

describe('an insider cuts the worker off', () => {
  const managerVpc = (t: Template) =>
    logicalId(t, 'AWS::EC2::VPC', (r) => r.Properties.CidrBlock === '10.41.0.0/16');

  test("the partner's return routes removed: the declared endpoint is not reached", () =>
    expectCaught((dir) => {
      editJson(path.join(dir, PARTNER), (t) => {
        for (const r of tgwRoutes(t)) delete t.Resources[r];
      });
      return edit(dir, SITE, managerVpc);
    }, copyOfPartnerAws));

  test('the gateway shared with no one: the partner cannot attach, the endpoint is not reached', () =>
    expectCaught((dir) => {
      editJson(path.join(dir, SITE), (t) => {
        t.Resources[share(t)].Properties.Principals = [];
      });
      return edit(dir, SITE, managerVpc);
    }, copyOfPartnerAws));
});
