/**
 * Hand edits that open a network path in the default platform's output, on both targets: each
 * makes `genesis check` exit 1 naming the rule, the resource and the file, with a finding absent
 * from the unedited output whose message carries the witness (the route, rule or policy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  copyOfDefault,
  editJson,
  editYaml,
  logicalId,
  checkOutput,
  type Found,
} from './support/default-output';

const check = checkOutput;

const SITE = 'Site-govcloud-west';
const TEMPLATE = `aws/${SITE}.template.json`;
const GW = 'k8s/govcloud-west/gw-gpu';
const LE = 'k8s/lab-east/le-gpu';
const AWS_RULE = 'GEN-AWS-NET-020';
const K8S_RULE = 'GEN-K8S-TEN-030';
/** A template as the shared edit helper hands it over. */
type Template = Parameters<Parameters<typeof editJson>[1]>[0];
type Objects = Parameters<Parameters<typeof editYaml>[1]>[0];

interface Expect {
  rule: string;
  resource: string;
  file: string;
  /** What the witness in the message must show. */
  witness: RegExp;
}

/** Edits the site template; `edit` returns the logical id the finding must name. */
function site(dir: string, edit: (t: Template) => string, witness: RegExp, rule = AWS_RULE): Expect {
  let id = '';
  editJson(path.join(dir, TEMPLATE), (t) => {
    id = edit(t);
  });
  return { rule, resource: `aws:${SITE}/${id}`, file: TEMPLATE, witness };
}

const tagged = (enclave: string) => (r: Template) =>
  JSON.stringify(r.Properties?.Tags ?? []).includes(`"${enclave}"`);
const cuiTable = (t: Template) =>
  logicalId(
    t,
    'AWS::EC2::RouteTable',
    (r) => tagged('gw-cui')(r) && JSON.stringify(r.Properties.Tags).includes('workloadSubnet1'),
  );
const openWorkloadRoute = (t: Template) =>
  logicalId(
    t,
    'AWS::EC2::Route',
    (r) =>
      r.Properties.NatGatewayId !== undefined &&
      JSON.stringify(r.Properties.RouteTableId).includes('workloadSubnet1'),
  );
const route = (table: string, dest: string, target: Record<string, unknown>) => ({
  Type: 'AWS::EC2::Route',
  Properties: { RouteTableId: { Ref: table }, DestinationCidrBlock: dest, ...target },
});

function addCuiIgw(t: Template): string {
  const vpc = logicalId(t, 'AWS::EC2::VPC', tagged('gw-cui'));
  t.Resources.SneakyIgw = { Type: 'AWS::EC2::InternetGateway', Properties: {} };
  t.Resources.SneakyAttach = {
    Type: 'AWS::EC2::VPCGatewayAttachment',
    Properties: { VpcId: { Ref: vpc }, InternetGatewayId: { Ref: 'SneakyIgw' } },
  };
  return vpc;
}

/** Edits one chart of a cluster; the finding must name `kind/ns/name` in that file. */
function chart(
  dir: string,
  file: string,
  edit: (os: Objects) => Objects,
  key: string,
  witness: RegExp,
  rule = K8S_RULE,
): Expect {
  editYaml(path.join(dir, file), edit);
  const [, siteName, cluster] = file.split('/');
  return { rule, resource: `k8s:${siteName}/${cluster}/${key}`, file, witness };
}
const np = (ns: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec: { podSelector: {}, ...spec },
});
const tenantNs = { matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'Exists' }] };

const CASES: Array<{ name: string; edit: (dir: string) => Expect }> = [
  {
    name: 'AWS: a default route to an internet gateway in the CUI enclave, split as 0.0.0.0/1 + 128.0.0.0/1',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          addCuiIgw(t);
          const rt = cuiTable(t);
          t.Resources.SplitHi = route(rt, '128.0.0.0/1', { GatewayId: { Ref: 'SneakyIgw' } });
          t.Resources.SplitLo = route(rt, '0.0.0.0/1', { GatewayId: { Ref: 'SneakyIgw' } });
          return 'SplitLo';
        },
        /gw-cui -> internet: addresses .*route SplitLo: .* -> internet gateway SneakyIgw/,
      ),
  },
  {
    name: 'AWS: a route from the CUI enclave to the NAT gateway of the public enclave',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const nat = logicalId(t, 'AWS::EC2::NatGateway', (r) =>
            JSON.stringify(r.Properties.SubnetId).includes('natSubnet1'),
          );
          t.Resources.ToNat = route(cuiTable(t), '0.0.0.0/0', { NatGatewayId: { Ref: nat } });
          return 'ToNat';
        },
        /gw-cui -> internet: names conda.anaconda.org.*route ToNat: .* -> NAT gateway .*network firewall/,
      ),
  },
  {
    name: 'AWS: a VPC peering connection from the CUI enclave to a VPC outside the assembly, with its route',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const vpc = logicalId(t, 'AWS::EC2::VPC', tagged('gw-cui'));
          t.Resources.SneakyPeering = {
            Type: 'AWS::EC2::VPCPeeringConnection',
            Properties: {
              VpcId: { Ref: vpc },
              PeerVpcId: 'vpc-0a1b2c3d4e5f67890',
              PeerOwnerId: '444455556666',
            },
          };
          t.Resources.ToPeer = route(cuiTable(t), '192.168.0.0/16', {
            VpcPeeringConnectionId: { Ref: 'SneakyPeering' },
          });
          return 'ToPeer';
        },
        /gw-cui -> internet: addresses 192\.168\.0\.0\/16 \(through a peering connection to a VPC outside the assembly\).*peering connection SneakyPeering/,
      ),
  },
  {
    name: 'AWS: a route from the CUI enclave to a transit gateway',
    edit: (dir) =>
      site(
        dir,
        (t) => (
          (t.Resources.ToTgw = route(cuiTable(t), '172.16.0.0/12', {
            TransitGatewayId: 'tgw-0123456789abcdef0',
          })),
          'ToTgw'
        ),
        /route ToTgw: 172\.16\.0\.0\/12 -> transit gateway/,
      ),
  },
  {
    name: 'AWS: a DNS firewall rule that allows every domain, ahead of the block rule',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const group = logicalId(t, 'AWS::Route53Resolver::FirewallRuleGroup', tagged('gw-cui'));
          const everything = logicalId(
            t,
            'AWS::Route53Resolver::FirewallDomainList',
            (r) => tagged('gw-cui')(r) && r.Properties.Domains.includes('*'),
          );
          t.Resources[group].Properties.FirewallRules.push({
            Action: 'ALLOW',
            Priority: 50,
            FirewallDomainListId: { 'Fn::GetAtt': [everything, 'Id'] },
          });
          return group;
        },
        /gw-cui -> DNS: the resolver answers \*.*rule priority 50 allows \*/,
      ),
  },
  {
    name: 'AWS: the public enclave NAT subnet routed straight to the internet gateway, around the network firewall',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const natRoute = logicalId(
            t,
            'AWS::EC2::Route',
            (r) =>
              r.Properties.VpcEndpointId !== undefined &&
              JSON.stringify(r.Properties.RouteTableId).includes('natSubnet1'),
          );
          const igw = logicalId(t, 'AWS::EC2::InternetGateway', tagged('gw-open'));
          delete t.Resources[natRoute].Properties.VpcEndpointId;
          t.Resources[natRoute].Properties.GatewayId = { Ref: igw };
          return openWorkloadRoute(t);
        },
        /gw-open -> internet: addresses .*beyond the egress allow-list.*natSubnet1DefaultRoute.* -> internet gateway/,
      ),
  },
  {
    name: 'AWS: the egress firewall policy passes what the stateless engine does not match',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const pol = logicalId(t, 'AWS::NetworkFirewall::FirewallPolicy', tagged('gw-open'));
          t.Resources[pol].Properties.FirewallPolicy.StatelessDefaultActions = ['aws:pass'];
          return openWorkloadRoute(t);
        },
        /gw-open -> internet: addresses .*stateless default action aws:pass/,
      ),
  },
  {
    name: 'AWS: the egress firewall allow-list widened to every .com name',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const rg = logicalId(t, 'AWS::NetworkFirewall::RuleGroup', tagged('gw-open'));
          t.Resources[rg].Properties.RuleGroup.RulesSource.RulesSourceList.Targets.push('.com');
          return openWorkloadRoute(t);
        },
        /names beyond the egress allow-list: \.com/,
      ),
  },
  {
    name: 'AWS: a security group of the CUI enclave admits the public enclave (not in reachableFrom)',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const sg = logicalId(t, 'AWS::EC2::SecurityGroup', (r) =>
            String(r.Properties.GroupDescription).startsWith('Interface endpoints'),
          );
          t.Resources.FromOpen = {
            Type: 'AWS::EC2::SecurityGroupIngress',
            Properties: {
              GroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
              IpProtocol: 'tcp',
              FromPort: 443,
              ToPort: 443,
              CidrIp: '10.40.0.0/17',
            },
          };
          return 'FromOpen';
        },
        /gw-open -> gw-cui: tcp\/443 .*does not list gw-open in reachableFrom.*security group .* admits tcp\/443 from 10\.40\.0\.0\/17/,
      ),
  },
  {
    name: 'AWS: a security group of the CUI enclave admits 0.0.0.0/1 and 128.0.0.0/1',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          const sg = logicalId(t, 'AWS::EC2::SecurityGroup', (r) =>
            String(r.Properties.GroupDescription).startsWith('Interface endpoints'),
          );
          t.Resources[sg].Properties.SecurityGroupIngress.push(
            { CidrIp: '0.0.0.0/1', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 },
            { CidrIp: '128.0.0.0/1', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 },
          );
          return sg;
        },
        /ingress from 128\.0\.0\.0\/1 into restricted/,
        'GEN-AWS-NET-004',
      ),
  },
  {
    name: 'AWS: a network ACL entry admits all traffic from 128.0.0.0/1',
    edit: (dir) =>
      site(
        dir,
        (t) => {
          t.Resources.HalfOpen = {
            Type: 'AWS::EC2::NetworkAclEntry',
            Properties: {
              NetworkAclId: { Ref: logicalId(t, 'AWS::EC2::NetworkAcl') },
              Egress: false,
              RuleAction: 'allow',
              RuleNumber: 60,
              Protocol: -1,
              CidrBlock: '128.0.0.0/1',
            },
          };
          return 'HalfOpen';
        },
        /admits protocol all from 128\.0\.0\.0\/1/,
        'GEN-AWS-NET-011',
      ),
  },
  {
    name: 'k8s: an ingress rule with an empty matchLabels namespaceSelector (every namespace)',
    edit: (dir) =>
      chart(
        dir,
        `${GW}/tenant-nih-nci.yaml`,
        (os) => [
          ...os,
          np('tenant-nih-nci', 'from-anywhere', {
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }],
          }),
        ],
        'NetworkPolicy/tenant-nih-nci/from-anywhere',
        /tenant-aurora-ai -> tenant-nih-nci \(tcp\/443\).*egress: NetworkPolicy tenant-aurora-ai\/genesis-allow-storage-endpoints.*ingress: NetworkPolicy tenant-nih-nci\/from-anywhere/,
      ),
  },
  {
    name: 'k8s: an ingress rule selecting every tenant namespace by matchExpressions Exists',
    edit: (dir) =>
      chart(
        dir,
        `${GW}/tenant-helix-bio.yaml`,
        (os) => [
          ...os,
          np('tenant-helix-bio', 'from-tenants', {
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ namespaceSelector: tenantNs }], ports: [{ port: 443 }] }],
          }),
        ],
        'NetworkPolicy/tenant-helix-bio/from-tenants',
        /-> tenant-helix-bio \(tcp\/443\).*from-tenants/,
      ),
  },
  {
    name: 'k8s: an ipBlock whose except leaves the enclave pod range open to another tenant',
    edit: (dir) =>
      chart(
        dir,
        `${GW}/tenant-noaa-psl.yaml`,
        (os) => [
          ...os,
          np('tenant-noaa-psl', 'from-vpc', {
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.40.0.0/16'] } }] }],
          }),
        ],
        'NetworkPolicy/tenant-noaa-psl/from-vpc',
        /-> tenant-noaa-psl \(tcp\/443\).*from-vpc/,
      ),
  },
  {
    name: 'k8s: an Admin-tier ClusterNetworkPolicy allow between tenants outranks their default deny',
    edit: (dir) =>
      chart(
        dir,
        `${GW}/cluster.yaml`,
        (os) => [
          ...os,
          {
            apiVersion: 'networking.k8s.aws/v1alpha1',
            kind: 'ClusterNetworkPolicy',
            metadata: { name: 'tenants-talk' },
            spec: {
              tier: 'Admin',
              priority: 5,
              subject: { namespaces: tenantNs },
              ingress: [{ name: 'in', action: 'Accept', from: [{ namespaces: tenantNs }] }],
              egress: [{ name: 'out', action: 'Accept', to: [{ namespaces: tenantNs }] }],
            },
          },
        ],
        'ClusterNetworkPolicy/-/tenants-talk',
        /egress: ClusterNetworkPolicy tenants-talk egress\[0\] Accept \(out\): accepts -> ingress: ClusterNetworkPolicy tenants-talk ingress\[0\] Accept \(in\): accepts/,
      ),
  },
  {
    name: 'k8s: an Admin-tier Accept to the metadata address ahead of the guardrail deny',
    edit: (dir) =>
      chart(
        dir,
        `${GW}/cluster.yaml`,
        (os) => [
          ...os,
          {
            apiVersion: 'networking.k8s.aws/v1alpha1',
            kind: 'ClusterNetworkPolicy',
            metadata: { name: 'imds-first' },
            spec: {
              tier: 'Admin',
              priority: 1,
              subject: { namespaces: tenantNs },
              egress: [{ name: 'imds', action: 'Accept', to: [{ networks: ['169.254.169.254/32'] }] }],
            },
          },
        ],
        'ClusterNetworkPolicy/-/imds-first',
        /tenant-aurora-ai -> metadata .*a tenant reaches the instance metadata address.*imds-first egress\[0\] Accept/,
      ),
  },
  {
    name: 'k8s (Cilium): a cluster-wide policy admitting the whole cluster into tenant pods',
    edit: (dir) =>
      chart(
        dir,
        `${LE}/cluster.yaml`,
        (os) => [
          ...os,
          {
            apiVersion: 'cilium.io/v2',
            kind: 'CiliumClusterwideNetworkPolicy',
            metadata: { name: 'cluster-mesh' },
            spec: {
              endpointSelector: {},
              ingress: [{ fromEntities: ['cluster'] }],
              egress: [{ toEntities: ['cluster'] }],
            },
          },
        ],
        'CiliumClusterwideNetworkPolicy/-/cluster-mesh',
        /tenant-doe-fes -> tenant-lattice-quantum .*CiliumClusterwideNetworkPolicy cluster-mesh/,
      ),
  },
  {
    name: 'k8s (Cilium): a tenant egress to the internet in the export-controlled enclave, which has no VPC to stop it',
    edit: (dir) =>
      chart(
        dir,
        `${LE}/tenant-doe-fes.yaml`,
        (os) => [
          ...os,
          np('tenant-doe-fes', 'egress-out', {
            policyTypes: ['Egress'],
            egress: [
              {
                to: [{ ipBlock: { cidr: '0.0.0.0/1' } }, { ipBlock: { cidr: '128.0.0.0/1' } }],
                ports: [{ port: 443 }],
              },
            ],
          }),
        ],
        'NetworkPolicy/tenant-doe-fes/egress-out',
        /tenant-doe-fes -> internet \(tcp\/443\); enclave le-ec .*declares no egress.*egress-out/,
      ),
  },
  {
    name: 'k8s (Cilium): a tenant egress from the on-prem enclave into the CUI enclave, which does not list it',
    edit: (dir) =>
      chart(
        dir,
        `${LE}/tenant-lattice-quantum.yaml`,
        (os) => [
          ...os,
          np('tenant-lattice-quantum', 'to-cui', {
            policyTypes: ['Egress'],
            egress: [{ to: [{ ipBlock: { cidr: '10.41.0.0/16' } }] }],
          }),
        ],
        'NetworkPolicy/tenant-lattice-quantum/to-cui',
        /tenant-lattice-quantum -> enclave:gw-cui .*does not list le-ec in reachableFrom.*to-cui/,
      ),
  },
];

let baseline: Set<string>;
const key = (f: Found) => `${f.ruleId}|${f.location.resourceKey}`;

beforeAll(async () => {
  const r = await check(await copyOfDefault());
  expect(r.code).toBe(0);
  baseline = new Set(r.findings.map(key));
}, 120_000);

describe('opening a network path by hand', () => {
  it('covers at least 15 edits across both targets', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    expect(CASES.filter((c) => c.name.startsWith('AWS')).length).toBeGreaterThan(0);
    expect(CASES.filter((c) => c.name.startsWith('k8s')).length).toBeGreaterThan(0);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await copyOfDefault();
    const expected = c.edit(dir);
    const r = await check(dir);
    expect(r.code).toBe(1);
    const hit = r.findings.find(
      (f) => f.ruleId === expected.rule && f.location.resourceKey === expected.resource,
    );
    if (!hit)
      throw new Error(
        `no ${expected.rule} finding on ${expected.resource}; found:\n${r.findings.map((f) => `${f.ruleId} ${f.location.resourceKey}: ${f.message.slice(0, 300)}`).join('\n')}`,
      );
    expect(hit).toMatchObject({ severity: 'error', location: { file: expected.file } });
    expect(hit.message).toMatch(expected.witness);
    expect(baseline.has(key(hit))).toBe(false);
    expect(r.out).toContain(expected.rule);
    expect(r.out).toContain(expected.resource);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
