/** The tenant data role construct on its own: grant expiry arithmetic and policy packing. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import {
  MANAGED_POLICY_MAX_CHARS,
  TenantDataRole,
  accessEndsAt,
  type DatasetAccess,
} from '../../constructs/aws/tenant-data-role';

describe('accessEndsAt', () => {
  it.each([
    ['2027-06-30', '2027-07-01T00:00:00Z'],
    ['2027-12-31', '2028-01-01T00:00:00Z'],
    ['2028-02-28', '2028-02-29T00:00:00Z'],
    ['2027-02-28', '2027-03-01T00:00:00Z'],
  ])('a grant ending %s stops at %s', (expires, end) => {
    expect(accessEndsAt(expires)).toBe(end);
  });

  it('is always the midnight after the last day', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          const end = new Date(accessEndsAt(day));
          return end.getTime() - new Date(`${day}T00:00:00Z`).getTime() === 86_400_000;
        },
      ),
    );
  });

  it('refuses what is not a date', () => {
    expect(() => accessEndsAt('2027-6-30')).toThrow('not a date');
  });
});

describe('TenantDataRole', () => {
  const env = { account: '111122223333', region: 'us-gov-west-1' };
  const grant = (i: number): DatasetAccess => ({
    datasetId: `dataset-with-a-rather-long-id-${String(i).padStart(2, '0')}`,
    bucketName: `genesis-111122223333-dataset-with-a-rather-long-id-${String(i).padStart(2, '0')}`,
    keyAlias: 'alias/genesis/govcloud-west/data-cui',
    access: i % 2 ? 'read' : 'write',
    expires: '2027-12-31',
  });
  const build = (count: number): Template => {
    const stack = new Stack(new App(), 'T', { env });
    new TenantDataRole(stack, 'Data', {
      roleName: 'genesis-many-data',
      namespace: 'tenant-many',
      serviceAccount: 'workload',
      clusterArns: ['arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/gw-gpu'],
      datasets: Array.from({ length: count }, (_, i) => grant(i)),
    });
    return Template.fromStack(stack);
  };

  it('splits many grants over managed policies that each fit the IAM limit, losing none', () => {
    const t = build(30);
    const policies = Object.values(t.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies.length).toBeGreaterThan(1);
    for (const p of policies)
      expect(JSON.stringify(p.Properties.PolicyDocument).length).toBeLessThanOrEqual(
        MANAGED_POLICY_MAX_CHARS,
      );
    const sids = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.map((st: any) => st.Sid));
    expect(sids).toHaveLength(90);
    expect(new Set(sids).size).toBe(90);
    // Statements of one grant stay together in one policy.
    for (const p of policies) {
      const statements = p.Properties.PolicyDocument.Statement.map((st: any) =>
        st.Sid.replace(/(List|Objects|Key)$/, ''),
      );
      for (const sid of new Set(statements))
        expect(statements.filter((x: string) => x === sid)).toHaveLength(3);
    }
  });

  it('refuses grants that would need more managed policies than a role may carry', () => {
    expect(() => build(200)).toThrow(/more than the 10 a role may carry/);
  });

  it('refuses to build a role no cluster could assume', () => {
    const stack = new Stack(new App(), 'T', { env });
    expect(
      () =>
        new TenantDataRole(stack, 'Data', {
          roleName: 'r',
          namespace: 'n',
          serviceAccount: 's',
          clusterArns: [],
          datasets: [],
        }),
    ).toThrow('clusterArns must not be empty');
  });
});
