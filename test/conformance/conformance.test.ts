/**
 * Every synthesized object of the default platform conforms strictly to the Kubernetes API of its
 * cluster's version and to its CRD; and the validator does catch what it claims to.
 *
 * Needs the upstream schemas: GENESIS_SCHEMAS_DIR (e.g. ../shared/schemas). Without it the tests
 * are skipped with a printed reason, except under CI=true, where that is a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { synthK8s } from '../../stacks/k8s/synth';
import { fileHeader, toYaml } from '../../stacks/k8s/synth';
import {
  DEFAULT_SCHEMA_ALIASES,
  pickKubernetesVersion,
  SCHEMAS_ENV,
  validateManifests,
  type Problem,
} from '../../policies/conformance';
import { parsePlatform } from '../../infra/model';
import { defaultPlatform, NOW, readManifests, tempDir, type K8sObject } from '../k8s/support';
import { defaultSpecInput, withAllowList } from '../k8s/variants';
import { skipSuite } from '../support/skip';

const schemasDir = process.env[SCHEMAS_ENV];
const inCi = process.env.CI === 'true';

if (!schemasDir) {
  if (inCi) {
    test(`${SCHEMAS_ENV} is set under CI`, () => {
      throw new Error(`${SCHEMAS_ENV} is not set: the conformance tests cannot run, and CI must run them`);
    });
  } else {
    skipSuite(
      'conformance',
      `${SCHEMAS_ENV} is not set (point it at the upstream schemas, e.g. ../shared/schemas)`,
    );
  }
} else {
  describe('schema conformance', () => {
    let out: string;
    let work: string;
    let objects: Array<{ file: string; obj: K8sObject }>;

    beforeAll(() => {
      out = tempDir('conformance');
      work = tempDir('conformance-cases');
      synthK8s(defaultPlatform(), out);
      objects = readManifests(out).flatMap((f) => f.objects.map((obj) => ({ file: f.file, obj })));
    });
    afterAll(() => {
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
    });

    /** Validates one object, after `edit`, in a file of its own (Kubernetes 1.34 header). */
    let n = 0;
    const check = (obj: K8sObject, edit: (o: any) => void = () => undefined): Problem[] => {
      const copy = structuredClone(obj);
      edit(copy);
      const dir = path.join(work, String(n++));
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'case.yaml'), fileHeader('s', 'c', '1.34') + toYaml([copy]));
      return validateManifests(dir, schemasDir);
    };
    const find = (kind: string, apiVersion?: string): K8sObject => {
      const hit = objects.find(
        ({ obj }) => obj.kind === kind && (!apiVersion || obj.apiVersion === apiVersion),
      );
      if (!hit) throw new Error(`no ${kind} in the output`);
      return hit.obj;
    };

    test('every synthesized object of the default platform passes', () => {
      expect(validateManifests(out, schemasDir)).toEqual([]);
      // Not vacuous: both clusters, core kinds and every CRD family are in the output.
      const kinds = new Set(objects.map(({ obj }) => `${obj.apiVersion}/${obj.kind}`));
      for (const k of [
        'v1/Namespace',
        'v1/ResourceQuota',
        'v1/PersistentVolume',
        'networking.k8s.io/v1/NetworkPolicy',
        'storage.k8s.io/v1/StorageClass',
        'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
        'kueue.x-k8s.io/v1beta2/ClusterQueue',
        'kueue.x-k8s.io/v1beta2/LocalQueue',
        'nvidia.com/v1/ClusterPolicy',
        'cilium.io/v2/CiliumClusterwideNetworkPolicy',
        'networking.k8s.aws/v1alpha1/ClusterNetworkPolicy',
      ])
        expect(kinds).toContain(k);
      expect(objects.length).toBeGreaterThan(100);
    });

    test('a core object: unknown field, wrong type and missing required field are caught', () => {
      const quota = find('ResourceQuota');
      expect(check(quota)).toEqual([]);
      expect(check(quota, (o) => (o.spec.hardd = {}))).toContainEqual(
        expect.objectContaining({ path: '/spec', message: 'unknown field "hardd"' }),
      );
      expect(check(quota, (o) => (o.metadata.labelz = {}))).toContainEqual(
        expect.objectContaining({ path: '/metadata', message: 'unknown field "labelz"' }),
      );
      expect(check(quota, (o) => (o.spec.hard = ['x']))).toContainEqual(
        expect.objectContaining({ path: '/spec/hard', message: 'must be object' }),
      );
      const binding = find('RoleBinding');
      expect(check(binding)).toEqual([]);
      const missing = check(binding, (o) => delete o.roleRef);
      expect(missing).toContainEqual({
        file: 'case.yaml',
        object: `RoleBinding ${binding.metadata.namespace}/${binding.metadata.name}`,
        path: '',
        message: 'missing required field "roleRef"',
      });
      // int-or-string and quantities accept both forms, and nothing else.
      const np = find('NetworkPolicy');
      const withPort = (port: unknown) => (o: any) =>
        (o.spec.egress = [{ ports: [{ port, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }]);
      expect(check(np, withPort(443))).toEqual([]);
      expect(check(np, withPort('https'))).toEqual([]);
      expect(check(np, withPort(true)).length).toBeGreaterThan(0);
    });

    test('a custom resource: unknown field, wrong type and missing required field are caught', () => {
      const cq = find('ClusterQueue');
      expect(check(cq)).toEqual([]);
      // v1beta1's spec.cohort was renamed cohortName in v1beta2.
      expect(check(cq, (o) => (o.spec.cohort = 'genesis'))).toContainEqual(
        expect.objectContaining({ path: '/spec', message: 'unknown field "cohort"' }),
      );
      expect(
        check(cq, (o) => (o.spec.resourceGroups[0].flavors[0].resources[0].nominalQuota = true)).length,
      ).toBeGreaterThan(0);
      expect(
        check(cq, (o) => delete o.spec.resourceGroups[0].flavors[0].resources[0].nominalQuota),
      ).toContainEqual(
        expect.objectContaining({
          path: '/spec/resourceGroups/0/flavors/0/resources/0',
          message: 'missing required field "nominalQuota"',
        }),
      );
      expect(check(cq, (o) => (o.metadata.namespace = 'x'))).toContainEqual(
        expect.objectContaining({ message: 'ClusterQueue is cluster-scoped and must not carry a namespace' }),
      );
      const policy = find('ClusterPolicy');
      expect(check(policy, (o) => delete o.spec.nodeStatusExporter)).toContainEqual(
        expect.objectContaining({ path: '/spec', message: 'missing required field "nodeStatusExporter"' }),
      );
      expect(check(policy, (o) => (o.spec.mig.strategy = 'half'))).toContainEqual(
        expect.objectContaining({ path: '/spec/mig/strategy' }),
      );
      // CRD metadata is checked as ObjectMeta.
      expect(check(cq, (o) => (o.metadata.label = {}))).toContainEqual(
        expect.objectContaining({ path: '/metadata', message: 'unknown field "label"' }),
      );
    });

    test('oneOf branches of a CRD (Cilium) check values without closing the object', () => {
      const cnp = find('CiliumClusterwideNetworkPolicy');
      expect(check(cnp)).toEqual([]);
      expect(check(cnp, (o) => (o.spec.egressDenny = []))).toContainEqual(
        expect.objectContaining({ path: '/spec', message: 'unknown field "egressDenny"' }),
      );
      expect(check(cnp, (o) => delete o.spec.endpointSelector).length).toBeGreaterThan(0);
    });

    test('the EKS ClusterNetworkPolicy is checked through its documented alias, not waved through', () => {
      const eks = find('ClusterNetworkPolicy', 'networking.k8s.aws/v1alpha1');
      expect(Object.keys(DEFAULT_SCHEMA_ALIASES)).toEqual([
        'networking.k8s.aws/v1alpha1/ClusterNetworkPolicy',
      ]);
      expect(check(eks)).toEqual([]);
      expect(check(eks, (o) => (o.spec.tier = 'Tenant'))).toContainEqual(
        expect.objectContaining({ path: '/spec/tier' }),
      );
      expect(check(eks, (o) => (o.spec.extra = 1))).toContainEqual(
        expect.objectContaining({ message: 'unknown field "extra"' }),
      );
    });

    test('unknown kinds, missing namespaces and a missing version header are problems', () => {
      const cq = find('ClusterQueue');
      expect(check(cq, (o) => (o.apiVersion = 'kueue.x-k8s.io/v9'))).toContainEqual(
        expect.objectContaining({
          message: expect.stringContaining('no schema for kueue.x-k8s.io/v9 ClusterQueue'),
        }),
      );
      expect(check(find('LocalQueue'), (o) => delete o.metadata.namespace)).toContainEqual(
        expect.objectContaining({ message: 'LocalQueue is namespaced and names no namespace' }),
      );
      const dir = path.join(work, 'noheader');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'x.yaml'), stringify(find('Namespace')));
      expect(validateManifests(dir, schemasDir)).toEqual([
        expect.objectContaining({ file: 'x.yaml', object: '(file)' }),
      ]);
      expect(validateManifests(dir, schemasDir, { defaultKubernetesVersion: '1.34' })).toEqual([]);
    });

    test('a 1.29 on-prem cluster is checked against the 1.28 definitions and passes', () => {
      const spec = defaultSpecInput();
      spec.sites.find((s: any) => s.id === 'lab-east').kubernetesVersion = '1.29';
      spec.clusters.find((c: any) => c.id === 'le-gpu').kubernetesVersion = '1.29';
      const dir = path.join(work, 'v129');
      synthK8s(parsePlatform(spec, { now: NOW }), dir);
      expect(fs.readFileSync(path.join(dir, 'lab-east/le-gpu/cluster.yaml'), 'utf8')).toContain(
        'admissionregistration.k8s.io/v1beta1',
      );
      expect(validateManifests(dir, schemasDir)).toEqual([]);
    });

    test('egress allow-list objects (NetworkPolicy ipBlock, CiliumNetworkPolicy toFQDNs) pass', () => {
      const dir = path.join(work, 'allow-list');
      synthK8s(withAllowList('le-gpu'), dir);
      expect(fs.readFileSync(path.join(dir, 'lab-east/le-gpu/tenant-doe-fes.yaml'), 'utf8')).toContain(
        'kind: CiliumNetworkPolicy',
      );
      expect(validateManifests(dir, schemasDir)).toEqual([]);
    });

    test('AWS StorageClasses (FSx, EFS) written once their ids are given pass', () => {
      const dir = path.join(work, 'aws-storage');
      synthK8s(defaultPlatform(), dir, {
        aws: {
          'govcloud-west': {
            fsx: { subnetId: 'subnet-0abc', securityGroupIds: ['sg-1'] },
            efsFileSystemIds: { project: 'fs-0123456789abcdef0' },
          },
        },
      });
      expect(fs.readFileSync(path.join(dir, 'govcloud-west/gw-gpu/cluster.yaml'), 'utf8')).toContain(
        'provisioner: fsx.csi.aws.com',
      );
      expect(validateManifests(dir, schemasDir)).toEqual([]);
    });

    test('picks the newest definitions not newer than the cluster', () => {
      expect(pickKubernetesVersion(['1.28.0', '1.34.0'], '1.34')).toBe('1.34.0');
      expect(pickKubernetesVersion(['1.28.0', '1.34.0'], '1.31')).toBe('1.28.0');
      expect(pickKubernetesVersion(['1.28.0', '1.34.0'], '1.27')).toBeUndefined();
    });
  });
}
