/**
 * Pairs of specs (the default and a small edit of it), diffed: egress, quota, node pools, enclave
 * CIDRs and exceptions.
 */
import { diffJson, lines, section, tempFile, variant, type JsonChange } from './support';

const all = (d: { sections: Array<{ changes: JsonChange[] }> }): JsonChange[] =>
  d.sections.flatMap((s) => s.changes);

describe('genesis diff: platform pairs', () => {
  it('a widened egress allow-list: the firewall and DNS allow-lists gain the name, broadening', async () => {
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant('egress', (s) => s.enclaves[0].egress.fqdns.push('huggingface.co')),
    );
    expect(code).toBe(1);
    expect(lines(section(diff, 'resources'))).toEqual([
      'resources broadening added aws:Site-govcloud-west/EnclaveGwOpenDnsAllowListAllowed5BB3C212 Properties.Domains[]',
      'resources neutral changed aws:Site-govcloud-west/EnclaveGwOpenEgressFirewallAllowedNames6223DF5B Properties.Capacity',
      'resources broadening added aws:Site-govcloud-west/EnclaveGwOpenEgressFirewallAllowedNames6223DF5B Properties.RuleGroup.RulesSource.RulesSourceList.Targets[]',
    ]);
    expect(
      section(diff, 'resources')
        .filter((c) => c.classification === 'broadening')
        .map((c) => c.after),
    ).toEqual(['huggingface.co', 'huggingface.co']);
    // Section 2: the same path to the internet, changed, with the name it now lets through.
    expect(section(diff, 'reachability').map((c) => [c.change, c.classification, c.reason])).toEqual([
      ['changed', 'broadening', 'names added: huggingface.co'],
    ]);
  });

  it('an egress CIDR split in two halves: the same addresses pass, no reachability change', async () => {
    const { diff } = await diffJson(
      await variant('cidr-one', (s) => s.enclaves[0].egress.cidrs.push('192.0.2.0/24')),
      await variant('cidr-halves', (s) => s.enclaves[0].egress.cidrs.push('192.0.2.0/25', '192.0.2.128/25')),
    );
    expect(section(diff, 'reachability')).toEqual([]);
    const wider = await diffJson(
      await variant('cidr-one'),
      await variant('cidr-wider', (s) => s.enclaves[0].egress.cidrs.push('192.0.2.0/23')),
    );
    expect(section(wider.diff, 'reachability').map((c) => [c.change, c.classification, c.reason])).toEqual([
      ['changed', 'broadening', 'more addresses pass'],
    ]);
  });

  it('a quota change: the ClusterQueue quota falls, narrowing', async () => {
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant(
        'quota',
        (s) => (s.tenants.find((t) => t.id === 'aurora-ai')!.quotas!.gpu!['gw-gpu'].h100.nominal = 12),
      ),
    );
    expect(code).toBe(0);
    const quota = section(diff, 'quota');
    expect(quota.length).toBeGreaterThan(0);
    expect(quota.every((c) => c.witness.resource.includes('aurora-ai'))).toBe(true);
    expect(
      quota.some(
        (c) =>
          c.witness.resource === 'k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-aurora-ai' &&
          /nominalQuota$/.test(c.witness.path) &&
          c.before === 16 &&
          c.after === 12 &&
          c.classification === 'narrowing',
      ),
    ).toBe(true);
    expect(diff.summary.broadening).toBe(0);
  });

  it('a new node pool: capacity added, neutral, and no tenant gains quota', async () => {
    const pool = {
      name: 'a100',
      gpu: { model: 'A100', perNode: 8 },
      nodes: { count: 2 },
      sharing: { mode: 'exclusive' },
      cpuPerNode: '96',
      memoryPerNode: '1152Gi',
      instanceType: 'p4d.24xlarge',
    };
    const { diff } = await diffJson(
      await variant('base'),
      await variant('pool', (s) => s.clusters[0].nodePools.push(pool)),
    );
    const quota = section(diff, 'quota');
    expect(
      quota.some(
        (c) => c.change === 'added' && c.type.endsWith('ResourceFlavor') && c.classification === 'neutral',
      ),
    ).toBe(true);
    expect(all(diff).filter((c) => c.classification === 'broadening' && c.section === 'quota')).toEqual([]);
    // The pool's nodes get an IAM role of their own: a new identity, broadening privilege.
    expect(lines(section(diff, 'privilege'))).toEqual([
      expect.stringMatching(
        /^privilege broadening added aws:Site-govcloud-west\/ClusterGwGpuPoolA100NodegroupNodeGroupRole\w+ $/,
      ),
    ]);
    expect(
      section(diff, 'resources').every((c) => /A100|a100/.test(c.witness.resource + c.witness.path)),
    ).toBe(true);
  });

  it('a changed enclave CIDR: every range moves, same size, neutral', async () => {
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant('cidr', (s) => (s.enclaves[0].cidr = '10.50.0.0/16')),
    );
    const changes = all(diff);
    expect(changes.length).toBeGreaterThan(0);
    expect(
      changes.some(
        (c) =>
          c.type === 'AWS::EC2::VPC' &&
          c.witness.path === 'Properties.CidrBlock' &&
          c.before === '10.40.0.0/16' &&
          c.after === '10.50.0.0/16' &&
          c.classification === 'neutral',
      ),
    ).toBe(true);
    expect(diff.summary.broadening).toBe(0);
    expect(code).toBe(0);
  });

  it('an exception added: the waived rule and resource, broadening', async () => {
    const base = await variant('base');
    const ex = tempFile(
      'exceptions.yaml',
      'exceptions:\n  - { rule: GEN-AWS-NET-006, resource: "aws:Site-govcloud-west/VpcS3Endpoint", reason: Interface endpoint without endpoint policies; tracked in SEC-123, owner: sec@example.gov, expires: "2027-01-31" }\n',
    );
    const { code, diff } = await diffJson(base, base, '--exceptions', ex);
    expect(code).toBe(1);
    expect(all(diff)).toEqual([
      expect.objectContaining({
        section: 'protection',
        change: 'added',
        classification: 'broadening',
        reason:
          'exception added: rule GEN-AWS-NET-006 is waived on aws:Site-govcloud-west/VpcS3Endpoint until 2027-01-31',
        witness: {
          file: ex,
          resource: 'aws:Site-govcloud-west/VpcS3Endpoint',
          path: 'exceptions[rule=GEN-AWS-NET-006]',
        },
      }),
    ]);
    // Removed again, it narrows.
    const back = await diffJson(base, base, '--base-exceptions', ex);
    expect(lines(all(back.diff))).toEqual([
      'protection narrowing removed aws:Site-govcloud-west/VpcS3Endpoint exceptions[rule=GEN-AWS-NET-006]',
    ]);
    expect(back.code).toBe(0);
  });
});
