/** The AWS target on platforms other than the default: a second, commercial site; a tenant without a cluster. */
import { parsePlatform, type Platform } from '../../infra/model';
import { defaultSpecData } from '../support/default-spec';
import { NOW, resourcesOf, synthDefault, type Synthesized } from './synth';

function variant(edit: (spec: Record<string, any>) => void): Platform {
  const spec = defaultSpecData();
  edit(spec);
  return parsePlatform(spec, { now: NOW });
}

describe('a second AWS site in the commercial partition', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthDefault(
      variant((spec) => {
        spec.sites.push({
          id: 'aws-east',
          kind: 'aws',
          account: '444455556666',
          region: 'us-east-1',
          availabilityZones: ['us-east-1a', 'us-east-1b'],
        });
        spec.enclaves.push({
          id: 'ae-cui',
          site: 'aws-east',
          classification: 'cui',
          cidr: '10.50.0.0/16',
          egress: { mode: 'none' },
        });
        spec.storageTiers
          .find((t: any) => t.id === 'objects')
          .sites.push({ site: 'aws-east', capacity: '1Pi' });
        spec.datasets.push({
          id: 'nih-imaging',
          agency: 'NIH',
          classification: 'cui',
          enclave: 'ae-cui',
          tier: 'objects',
          description: 'Imaging archive',
        });
      }),
    );
  });

  it('gets its own stack in its own account and region, named by the contract', () => {
    const east = s.assembly.getStackByName('Site-aws-east');
    expect(east.environment).toMatchObject({ account: '444455556666', region: 'us-east-1' });
    expect(
      s.assembly.stacks
        .map((st) => st.stackName)
        .filter((n) => n.startsWith('Site-'))
        .sort(),
    ).toEqual(['Site-aws-east', 'Site-govcloud-west']);
  });

  it('writes ARNs in the partition of the region and uses only the zones the spec names', () => {
    const t = s.template('Site-aws-east');
    const text = JSON.stringify(t.toJSON());
    expect(text).not.toContain('aws-us-gov');
    expect(text).toContain('arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*');
    const names = Object.values(resourcesOf(t, 'AWS::Route53Resolver::FirewallDomainList')).flatMap(
      (l) => l.Properties.Domains,
    );
    expect(names).toEqual(expect.arrayContaining(['ec2.internal', '*.ec2.internal']));
    expect(names.join(' ')).not.toContain('compute.internal');
    const zones = Object.values(resourcesOf(t, 'AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
    expect([...new Set(zones)].sort()).toEqual(['us-east-1a', 'us-east-1b']);
    expect(s.assembly.manifest.missing ?? []).toEqual([]);
  });

  it('holds the dataset there, behind that enclave only, and builds no cluster, file system or driver where none is asked for', () => {
    const t = s.template('Site-aws-east');
    const buckets = Object.values(resourcesOf(t, 'AWS::S3::Bucket'))
      .map((b) => b.Properties.BucketName)
      .sort();
    expect(buckets).toEqual([
      'genesis-444455556666-nih-imaging',
      'genesis-444455556666-us-east-1-dataset-audit',
      'genesis-444455556666-us-east-1-s3-access-logs',
    ]);
    for (const type of [
      'AWS::EKS::Cluster',
      'AWS::EFS::FileSystem',
      'AWS::EKS::Addon',
      'AWS::EC2::NatGateway',
      'AWS::EC2::InternetGateway',
    ]) {
      expect(Object.keys(resourcesOf(t, type))).toEqual([]);
    }
    // The govcloud site no longer holds what moved nowhere: its buckets are unchanged.
    const west = Object.values(resourcesOf(s.template('Site-govcloud-west'), 'AWS::S3::Bucket')).map(
      (b) => b.Properties.BucketName,
    );
    expect(west).not.toContain('genesis-444455556666-nih-imaging');
  });
});

describe('a tenant homed where no cluster runs', () => {
  it('gets no stack (it could run no workload), while the other tenants keep theirs', () => {
    const s = synthDefault(
      variant((spec) => {
        const helix = spec.tenants.find((t: any) => t.id === 'helix-bio');
        helix.homeEnclave = 'gw-open';
        helix.quotas = { gpu: {}, storage: {} };
      }),
    );
    const tenants = s.assembly.stacks
      .map((st) => st.stackName)
      .filter((n) => n.startsWith('Tenant-'))
      .sort();
    expect(tenants).toEqual(['Tenant-aurora-ai', 'Tenant-midwest-univ', 'Tenant-nih-nci', 'Tenant-noaa-psl']);
    for (const st of s.assembly.stacks)
      expect(Object.keys(st.template.Resources ?? {}).length).toBeGreaterThan(0);
  });
});

describe('a cluster whose pools all have a fixed size', () => {
  it('gets no Cluster Autoscaler identity', () => {
    const s = synthDefault(
      variant((spec) => {
        const pools = spec.clusters.find((c: any) => c.id === 'gw-gpu').nodePools;
        pools.find((p: any) => p.name === 'h100-mig').nodes = { count: 1 };
        pools.find((p: any) => p.name === 'l40s').nodes = { count: 2 };
      }),
    );
    const t = s.template('Site-govcloud-west');
    expect(Object.keys(resourcesOf(t, 'AWS::EKS::Cluster'))).toHaveLength(1);
    const associations = Object.values(resourcesOf(t, 'AWS::EKS::PodIdentityAssociation')).map(
      (a) => a.Properties.ServiceAccount,
    );
    expect(associations).not.toContain('cluster-autoscaler');
  });
});
