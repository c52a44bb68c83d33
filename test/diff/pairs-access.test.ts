/**
 * Pairs of specs (the default and a small edit of it), diffed: each report names the expected
 * changes and classifies each. Grants, expiries and tenants.
 */
import { diffJson, lines, section, variant, type JsonChange, type Spec } from './support';

const all = (d: { sections: Array<{ changes: JsonChange[] }> }): JsonChange[] =>
  d.sections.flatMap((s) => s.changes);
const grantFor = (tenant: string) => (s: Spec) => s.grants.filter((g) => g.tenant !== tenant);

describe('genesis diff: access pairs', () => {
  it('a new grant: the data statements and the dataset volume, each broadening', async () => {
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant('grant', (s) =>
        s.grants.push({
          tenant: 'aurora-ai',
          dataset: 'noaa-reanalysis',
          access: 'read',
          purpose: 'Weather features for grid forecasting',
          expires: '2027-06-30',
        }),
      ),
    );
    expect(code).toBe(1);
    expect(lines(section(diff, 'privilege')).sort()).toEqual(
      [
        'privilege broadening added aws:Tenant-aurora-ai/DataGrants1D85B620F Properties.PolicyDocument.Statement[Sid=ReadNoaaReanalysisUntil20270630Key]',
        'privilege broadening added aws:Tenant-aurora-ai/DataGrants1D85B620F Properties.PolicyDocument.Statement[Sid=ReadNoaaReanalysisUntil20270630List]',
        'privilege broadening added aws:Tenant-aurora-ai/DataGrants1D85B620F Properties.PolicyDocument.Statement[Sid=ReadNoaaReanalysisUntil20270630Objects]',
        'privilege broadening added aws:Tenant-aurora-ai/DataRole51DCB2AB Properties.Tags[Key=genesis:data-key:public]',
        'privilege broadening added aws:Tenant-aurora-ai/DataRole51DCB2AB Properties.Tags[Key=genesis:grant:noaa-reanalysis]',
        'privilege broadening added k8s:govcloud-west/gw-gpu/PersistentVolume/-/tenant-aurora-ai-noaa-reanalysis ',
        // The volume admission policy lists each tenant's dataset claims: the new claim joins it.
        'privilege neutral changed k8s:govcloud-west/gw-gpu/ValidatingAdmissionPolicy/-/genesis-tenant-volumes spec.variables[name=claims].expression',
      ].sort(),
    );
    expect(lines(section(diff, 'quota'))).toEqual([
      'quota broadening added k8s:govcloud-west/gw-gpu/PersistentVolumeClaim/tenant-aurora-ai/dataset-noaa-reanalysis ',
    ]);
    expect(section(diff, 'protection')).toEqual([]);
    // Section 6 lists the same eight changes, per stack and cluster file.
    expect(section(diff, 'resources')).toHaveLength(8);
    expect(diff.summary).toEqual({ broadening: 10, narrowing: 0, neutral: 1 });
    // Section 1: the new cells of the access matrix, on AWS (until the grant's end) and on the cluster.
    expect(section(diff, 'access').map((c) => c.classification)).toEqual([
      'broadening',
      'broadening',
      'broadening',
    ]);
    const statement = section(diff, 'privilege')[0];
    expect(statement.witness.file).toBe('aws/Tenant-aurora-ai.template.json');
    expect(statement.after).toMatchObject({ Effect: 'Allow' });
  });

  it('an extended expiry: the re-dated statements and annotations, broadening', async () => {
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant('expiry', (s) => (s.grants[3].expires = '2027-09-30')),
    );
    expect(code).toBe(1);
    const changes = all(diff);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.witness.resource.includes('aurora-ai'))).toBe(true);
    const dated = changes.filter(
      (c) => c.section === 'privilege' && /DateLessThan|grant-expires/.test(c.witness.path),
    );
    expect(dated.length).toBeGreaterThanOrEqual(2);
    for (const c of dated) expect(c).toMatchObject({ classification: 'broadening', change: 'changed' });
    expect(dated.map((c) => c.reason).join('\n')).toMatch(
      /later.*2027-06-30.*2027-09-30|later.*2027-07-01.*2027-10-01/,
    );
    expect(diff.summary.narrowing).toBe(0);
  });

  it('a new tenant: its stack, namespace file and queue, and nothing narrowed', async () => {
    const orbit = {
      id: 'orbit-labs',
      kind: 'industry',
      organisation: 'Orbit Labs Inc.',
      usPerson: { attested: true, date: '2026-06-01' },
      agreement: { id: 'CRADA-2026-0200', expires: '2027-12-31' },
      homeEnclave: 'gw-cui',
      quotas: { gpu: { 'gw-gpu': { l40s: { nominal: 8, borrowing: 8 } } }, storage: { objects: '20Ti' } },
      contacts: [{ name: 'Ira Chen', email: 'ira@orbit-labs.example.com', role: 'technical' }],
    };
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant('tenant', (s) => s.tenants.push(orbit)),
    );
    expect(code).toBe(1);
    const changes = section(diff, 'resources');
    expect(
      changes.some(
        (c) =>
          c.group === 'Tenant-orbit-labs' &&
          c.change === 'added' &&
          c.type === 'AWS::IAM::Role' &&
          c.classification === 'broadening',
      ),
    ).toBe(true);
    expect(
      changes.some(
        (c) => c.group === 'k8s/govcloud-west/gw-gpu/tenant-orbit-labs.yaml' && c.type === 'v1 Namespace',
      ),
    ).toBe(true);
    expect(lines(section(diff, 'quota'))).toContain(
      'quota broadening added k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-orbit-labs ',
    );
    // Only the new tenant's objects and the cluster's shared objects change.
    for (const c of changes)
      expect(
        c.witness.resource.includes('orbit-labs') ||
          c.group.endsWith('cluster.yaml') ||
          c.group.startsWith('Site-'),
      ).toBe(true);
    expect(diff.summary.narrowing).toBe(0);
  });

  it('a removed tenant: narrowing only, exit 0', async () => {
    const { code, diff } = await diffJson(
      await variant('base'),
      await variant('no-midwest', (s) => {
        s.tenants = s.tenants.filter((t) => t.id !== 'midwest-univ');
        s.grants = grantFor('midwest-univ')(s);
      }),
    );
    expect(code).toBe(0);
    const changes = all(diff);
    expect(
      changes.some(
        (c) =>
          c.group === 'Tenant-midwest-univ' &&
          c.change === 'removed' &&
          c.type === 'AWS::IAM::Role' &&
          c.classification === 'narrowing',
      ),
    ).toBe(true);
    expect(
      lines(section(diff, 'quota')).some(
        (l) => l.startsWith('quota narrowing removed k8s:') && l.includes('midwest-univ'),
      ),
    ).toBe(true);
    expect(diff.summary.broadening).toBe(0);
    expect(diff.summary.narrowing).toBeGreaterThan(0);
  });
});
