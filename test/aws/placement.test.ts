/** Where the model lands on AWS, and what the AWS target refuses rather than drops. */
import { loadPlatform, parsePlatform, type Platform } from '../../infra/model';
import { AwsPlacementError, placeOnAws } from '../../stacks/aws/placement';
import { defaultSpecData } from '../support/default-spec';
import { TEST_NOW } from '../support/dates';

const NOW = TEST_NOW;

function variant(edit: (spec: Record<string, any>) => void): Platform {
  const spec = defaultSpecData();
  edit(spec);
  return parsePlatform(spec, { now: NOW });
}

function placementError(platform: Platform): AwsPlacementError {
  try {
    placeOnAws(platform);
  } catch (e) {
    if (e instanceof AwsPlacementError) return e;
    throw e;
  }
  throw new Error('expected the AWS target to refuse the platform');
}

describe('placeOnAws on the default platform', () => {
  const placement = placeOnAws(loadPlatform({ now: NOW }).platform);

  it('places only AWS sites', () => {
    expect(placement.sites.map((s) => s.site.id)).toEqual(['govcloud-west']);
    expect(placement.sites[0].enclaves.map((e) => e.id)).toEqual(['gw-open', 'gw-cui']);
    expect(placement.sites[0].clusters.map((c) => c.id)).toEqual(['gw-gpu']);
  });

  it('makes a bucket of every dataset held at an AWS site, and of no other', () => {
    const buckets = Object.fromEntries(placement.sites[0].datasets.map((d) => [d.dataset.id, d.bucketName]));
    expect(buckets).toEqual({
      'noaa-reanalysis': 'genesis-111122223333-noaa-reanalysis',
      'nasa-earthobs': 'genesis-111122223333-nasa-earthobs',
      'usgs-lidar': 'genesis-111122223333-usgs-lidar',
      'nih-genomics': 'genesis-111122223333-nih-genomics',
      'dhs-grid-telemetry': 'genesis-111122223333-dhs-grid-telemetry',
    });
  });

  it('lets a dataset be reached from its own enclave and the enclaves it lists, no others', () => {
    const readers = (id: string): string[] =>
      placement.sites[0].datasets.find((d) => d.dataset.id === id)!.readerEnclaves.map((e) => e.id);
    expect(readers('noaa-reanalysis')).toEqual(['gw-cui', 'gw-open']);
    expect(readers('nih-genomics')).toEqual(['gw-cui']);
    expect(readers('dhs-grid-telemetry')).toEqual(['gw-cui']);
  });

  it('puts the file-system tiers of the site in the enclave its clusters run in', () => {
    const site = placement.sites[0];
    expect(site.storageEnclave?.id).toBe('gw-cui');
    expect(site.fileTiers.map((t) => t.id)).toEqual(['project']);
    expect(site.lustreTiers.map((t) => t.id)).toEqual(['scratch']);
  });

  it('gives a data role to every tenant homed on an AWS site, with the grants it holds', () => {
    const tenants = Object.fromEntries(
      placement.tenants.map((t) => [
        t.tenant.id,
        t.grants.map((g) => `${g.grant.access}:${g.dataset.dataset.id}`).sort(),
      ]),
    );
    expect(tenants).toEqual({
      'noaa-psl': ['read:usgs-lidar', 'write:noaa-reanalysis'],
      'nih-nci': ['write:nih-genomics'],
      'aurora-ai': ['read:dhs-grid-telemetry', 'read:nih-genomics'],
      'helix-bio': ['read:nasa-earthobs', 'read:noaa-reanalysis'],
      'midwest-univ': ['read:nasa-earthobs', 'read:usgs-lidar'],
    });
    for (const t of placement.tenants) expect(t.clusters.map((c) => c.id)).toEqual(['gw-gpu']);
  });
});

describe('placeOnAws refuses what it cannot realise', () => {
  it('a dataset on a file-system tier at an AWS site', () => {
    const platform = variant((s) => {
      s.datasets.push({
        id: 'nih-imaging',
        agency: 'NIH',
        classification: 'cui',
        enclave: 'gw-cui',
        tier: 'project',
        description: 'Imaging',
      });
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('dataset "nih-imaging" is on file tier "project"'),
    ]);
  });

  it('a grant that crosses sites, which the model allows', () => {
    const platform = variant((s) => {
      s.enclaves.push({
        id: 'le-open',
        site: 'lab-east',
        classification: 'public',
        cidr: '10.61.0.0/16',
        egress: { mode: 'none' },
        reachableFrom: ['gw-cui'],
      });
      s.datasets.push({
        id: 'ornl-climate',
        agency: 'DOE',
        classification: 'public',
        enclave: 'le-open',
        tier: 'objects',
        description: 'Climate runs',
      });
      s.grants.push({
        tenant: 'noaa-psl',
        dataset: 'ornl-climate',
        access: 'read',
        purpose: 'Downscaling',
        expires: '2027-06-30',
      });
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        'tenant "noaa-psl" works on AWS site "govcloud-west" and holds a grant of "ornl-climate"',
      ),
    ]);
  });

  it('reachability from an enclave of another site, for which no network exists', () => {
    const platform = variant((s) => {
      s.enclaves.find((e: any) => e.id === 'gw-open').reachableFrom.push('le-ec');
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        'enclave "gw-open" on AWS site "govcloud-west" is reachable from enclave "le-ec" on site "lab-east"',
      ),
    ]);
  });

  it('an export-controlled enclave outside GovCloud', () => {
    const platform = variant((s) => {
      s.sites.push({
        id: 'aws-east',
        kind: 'aws',
        account: '444455556666',
        region: 'us-east-1',
        availabilityZones: ['us-east-1a', 'us-east-1b'],
      });
      s.enclaves.push({
        id: 'ae-ec',
        site: 'aws-east',
        classification: 'export-controlled',
        cidr: '10.50.0.0/16',
        egress: { mode: 'none' },
      });
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('export-controlled enclave "ae-ec" is on AWS site "aws-east" in us-east-1'),
    ]);
  });

  it('two AWS sites in one account and region', () => {
    const platform = variant((s) => {
      s.sites.push({
        id: 'govcloud-west-2',
        kind: 'aws',
        account: '111122223333',
        region: 'us-gov-west-1',
        availabilityZones: ['us-gov-west-1a', 'us-gov-west-1b'],
      });
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining(
        'AWS sites "govcloud-west" and "govcloud-west-2" share account 111122223333 and region us-gov-west-1',
      ),
    ]);
  });

  it('an AMD GPU pool at an AWS site', () => {
    const platform = variant((s) => {
      s.clusters[0].nodePools.push({
        name: 'mi300x',
        gpu: { model: 'MI300X', perNode: 8 },
        nodes: { count: 1 },
        cpuPerNode: '192',
        memoryPerNode: '2048Gi',
        instanceType: 'p5e.48xlarge',
      });
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('node pool "gw-gpu/mi300x" has MI300X GPUs'),
    ]);
  });

  it('file-system tiers on a site whose clusters run in two enclaves', () => {
    const platform = variant((s) => {
      s.clusters.push({
        id: 'gw-open-cpu',
        site: 'govcloud-west',
        enclave: 'gw-open',
        kubernetesVersion: '1.34',
        nodePools: [
          {
            name: 'l40s',
            gpu: { model: 'L40S', perNode: 8 },
            nodes: { count: 1 },
            cpuPerNode: '192',
            memoryPerNode: '1536Gi',
            instanceType: 'g6e.48xlarge',
          },
        ],
      });
    });
    expect(placementError(platform).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('runs clusters in enclaves gw-cui, gw-open'),
    ]);
  });

  it('no file systems where no cluster could mount them', () => {
    const platform = variant((s) => {
      s.clusters = [];
      s.federations = [];
      for (const t of s.tenants) {
        t.quotas.gpu = {};
        delete t.federations;
      }
    });
    const site = placeOnAws(platform).sites[0];
    expect(site.storageEnclave).toBeUndefined();
    expect(site.fileTiers).toEqual([]);
    expect(site.lustreTiers).toEqual([]);
  });

  it('reports every problem at once', () => {
    const platform = variant((s) => {
      s.datasets.push({
        id: 'nih-imaging',
        agency: 'NIH',
        classification: 'cui',
        enclave: 'gw-cui',
        tier: 'project',
        description: 'Imaging',
      });
      s.clusters[0].nodePools.push({
        name: 'mi300x',
        gpu: { model: 'MI300X', perNode: 8 },
        nodes: { count: 1 },
        cpuPerNode: '192',
        memoryPerNode: '2048Gi',
        instanceType: 'p5e.48xlarge',
      });
    });
    expect(placementError(platform).problems).toHaveLength(2);
  });
});
