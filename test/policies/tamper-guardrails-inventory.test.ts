/**
 * Hand edits of the default Kubernetes output caught by the cluster-scoped inventory, the volume
 * sources of tenant workloads and the closed world of kinds; and a reviewed exception that admits
 * an inventoried object.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../cli/commands/check';
import { copyOfDefault, editYaml, NOW } from './support/default-output';
import { baselineFindings, expectCaught } from './support/tamper-run';

const GW = 'k8s/govcloud-west/gw-gpu';
const CLUSTER = `${GW}/cluster.yaml`;
const TENANT = `${GW}/tenant-aurora-ai.yaml`;
const NS = 'tenant-aurora-ai';
const key = (kind: string, ns: string, name: string) => `k8s:govcloud-west/gw-gpu/${kind}/${ns}/${name}`;
type Obj = Parameters<Parameters<typeof editYaml>[1]>[0][number];
const edit = (dir: string, file: string, fn: (objects: Obj[]) => Obj[] | void) =>
  editYaml(path.join(dir, file), (os) => fn(os) ?? os);
const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

beforeAll(() => baselineFindings(), 180_000);

describe('cluster-scoped inventory, volumes and kinds', () => {
  test('a MutatingWebhookConfiguration sending tenant Pods and Secrets elsewhere', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => [
        ...os,
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'telemetry-sidecar' },
          webhooks: [
            {
              name: 'inject.telemetry.example.com',
              admissionReviewVersions: ['v1'],
              sideEffects: 'None',
              clientConfig: { url: 'https://collector.example.com/mutate' },
              namespaceSelector: {
                matchExpressions: [{ key: 'genesis.platform/tenant', operator: 'Exists' }],
              },
              rules: [
                {
                  operations: ['CREATE', 'UPDATE'],
                  apiGroups: [''],
                  apiVersions: ['v1'],
                  resources: ['pods', 'secrets'],
                },
              ],
            },
          ],
        },
      ]);
      return {
        rule: 'GEN-K8S-INV-001',
        resource: key('MutatingWebhookConfiguration', '-', 'telemetry-sidecar'),
        file: CLUSTER,
      };
    }));

  test('a ClusterRole that may update Secrets everywhere', () =>
    expectCaught((dir) => {
      edit(dir, CLUSTER, (os) => [
        ...os,
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: 'ops-helper' },
          rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'] }],
        },
      ]);
      return { rule: 'GEN-K8S-INV-001', resource: key('ClusterRole', '-', 'ops-helper'), file: CLUSTER };
    }));

  test('a tenant Job mounting a dataset share through an inline CSI volume', () =>
    expectCaught((dir) => {
      edit(dir, TENANT, (os) => [
        ...os,
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'reader', namespace: NS, labels: { 'kueue.x-k8s.io/queue-name': 'default' } },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{ name: 'm', image: 'x', securityContext: restricted }],
                volumes: [
                  {
                    name: 'data',
                    csi: {
                      driver: 's3.csi.aws.com',
                      readOnly: true,
                      volumeAttributes: { bucketName: 'genesis-111122223333-nih-genomics' },
                    },
                  },
                ],
              },
            },
          },
        },
      ]);
      return { rule: 'GEN-K8S-ADM-003', resource: key('Job', NS, 'reader'), file: TENANT };
    }));

  test('an Ingress, a kind no rule reads', () =>
    expectCaught((dir) => {
      edit(dir, TENANT, (os) => [
        ...os,
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'public', namespace: NS },
          spec: { rules: [{ host: 'x.example.com' }] },
        },
      ]);
      return { rule: 'GEN-K8S-KIND-001', resource: key('Ingress', NS, 'public'), file: TENANT };
    }));
});

describe('a reviewed exception admits an inventoried object', () => {
  test('the webhook with an exception for GEN-K8S-INV-001 exits 0 and the finding is reported as suppressed', async () => {
    const dir = await copyOfDefault();
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'reviewed-audit' },
      webhooks: [
        {
          name: 'audit.example.gov',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          clientConfig: { url: 'https://audit.example.gov/validate' },
          rules: [
            { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['namespaces'] },
          ],
        },
      ],
    };
    edit(dir, CLUSTER, (os) => [...os, webhook]);
    const exceptions = path.join(path.dirname(dir), 'exceptions.yaml');
    const resource = key('ValidatingWebhookConfiguration', '-', 'reviewed-audit');
    fs.writeFileSync(
      exceptions,
      `exceptions:\n  - rule: GEN-K8S-INV-001\n    resource: ${resource}\n    reason: Audit webhook reviewed in SEC-42\n    owner: security-owner@example.gov\n    expires: 2027-01-31\n`,
    );
    let out = '';
    const code = await run([dir, '--now', NOW, '--exceptions', exceptions], {
      out: (t) => (out += t),
      err: (t) => (out += t),
    });
    expect({ code, out }).toMatchObject({ code: 0 });
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'report', 'findings.json'), 'utf8'))
      .findings as Array<{ ruleId: string; location: { resourceKey: string }; suppression?: unknown }>;
    expect(
      findings.find((f) => f.ruleId === 'GEN-K8S-INV-001' && f.location.resourceKey === resource)
        ?.suppression,
    ).toBeDefined();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
