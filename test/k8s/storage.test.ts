/** Storage back ends other than the default's, and AWS storage once its ids are given. */
import * as fs from 'node:fs';
import { App } from 'cdk8s';
import { clusterChart, tenantChart, type K8sOptions } from '../../constructs/k8s';
import { synthK8s } from '../../stacks/k8s/synth';
import { defaultPlatform, tempDir, type K8sObject } from './support';
import { variant } from './variants';

const AWS: K8sOptions = {
  aws: {
    'govcloud-west': {
      fsx: { subnetId: 'subnet-0abc', securityGroupIds: ['sg-2', 'sg-1'] },
      efsFileSystemIds: { project: 'fs-0123456789abcdef0' },
    },
  },
};

test('an NFS file tier: nfs.csi.k8s.io class, and read grants mount read-only', () => {
  const platform = variant((spec) => {
    const project = spec.storageTiers.find((t: any) => t.id === 'project');
    Object.assign(
      project.sites.find((s: any) => s.site === 'lab-east'),
      { backend: 'nfs', endpoint: 'nfs01.lab-east.internal', path: '/export/project' },
    );
  });
  const sc = (clusterChart(new App(), platform, 'le-gpu').toJson() as K8sObject[]).find(
    (o) => o.metadata.name === 'genesis-project',
  ) as any;
  expect(sc.provisioner).toBe('nfs.csi.k8s.io');
  expect(sc.parameters).toEqual({ server: 'nfs01.lab-east.internal', share: '/export/project' });
  const pv = (tenantChart(new App(), platform, 'le-gpu', 'lattice-quantum').toJson() as K8sObject[]).find(
    (o) => o.kind === 'PersistentVolume',
  ) as any;
  expect(pv.spec.csi).toMatchObject({
    driver: 'nfs.csi.k8s.io',
    readOnly: true,
    volumeAttributes: { server: 'nfs01.lab-east.internal', share: '/export/project/datasets/doe-fusion-sim' },
  });
  expect(pv.spec.mountOptions).toEqual(['nfsvers=4.1', 'ro']);
  expect(pv.spec.accessModes).toEqual(['ReadOnlyMany']);
});

test('without AWS storage ids the FSx and EFS classes are reported, not guessed', () => {
  const out = tempDir('k8s-aws');
  try {
    const result = synthK8s(defaultPlatform(), out);
    expect(result.unresolved).toEqual([
      'storage-class govcloud-west/project',
      'storage-class govcloud-west/scratch',
    ]);
    expect(fs.readFileSync(`${out}/govcloud-west/gw-gpu/cluster.yaml`, 'utf8')).not.toContain(
      'kind: StorageClass',
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('with AWS storage ids: FSx for Lustre and EFS access-point classes, quotas per class, nothing unresolved', () => {
  const platform = defaultPlatform();
  const classes = (clusterChart(new App(), platform, 'gw-gpu', AWS).toJson() as any[]).filter(
    (o) => o.kind === 'StorageClass',
  );
  expect(classes.map((c) => [c.metadata.name, c.provisioner])).toEqual([
    ['genesis-project', 'efs.csi.aws.com'],
    ['genesis-scratch', 'fsx.csi.aws.com'],
  ]);
  expect(classes[0].parameters).toMatchObject({
    provisioningMode: 'efs-ap',
    fileSystemId: 'fs-0123456789abcdef0',
    directoryPerms: '770',
  });
  expect(classes[1].parameters).toMatchObject({
    subnetId: 'subnet-0abc',
    securityGroupIds: 'sg-2,sg-1',
    deploymentType: 'PERSISTENT_2',
  });
  // Daily automatic backups of each Lustre file system, kept the scratch tier's 30 days.
  expect(classes[1].parameters).toMatchObject({
    automaticBackupRetentionDays: '30',
    dailyAutomaticBackupStartTime: '05:00',
    copyTagsToBackups: 'true',
  });
  // aurora-ai has project and scratch quota; helix-bio has neither, so both classes are closed to it.
  const hard = (tenantId: string) =>
    (tenantChart(new App(), platform, 'gw-gpu', tenantId, AWS).toJson() as any[]).find(
      (o) => o.metadata.name === 'genesis-compute-storage',
    ).spec.hard;
  expect(hard('aurora-ai')).toMatchObject({
    'genesis-project.storageclass.storage.k8s.io/requests.storage': '50Ti',
    'genesis-scratch.storageclass.storage.k8s.io/requests.storage': '24000Gi',
    'genesis-scratch.storageclass.storage.k8s.io/persistentvolumeclaims': 50,
  });
  expect(hard('helix-bio')).toMatchObject({
    'genesis-project.storageclass.storage.k8s.io/requests.storage': '0',
    'genesis-project.storageclass.storage.k8s.io/persistentvolumeclaims': 0,
  });
  const out = tempDir('k8s-aws-refs');
  try {
    expect(synthK8s(platform, out, AWS).unresolved).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
