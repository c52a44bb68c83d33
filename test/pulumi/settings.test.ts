/** Stack configuration: typed settings, and every mistake reported at once with its fix. */
import * as os from 'node:os';
import * as path from 'node:path';
import {
  isKubeconfigContents,
  readSettings,
  StackConfigError,
  type ConfigSource,
} from '../../stacks/pulumi/settings';

const PROJECT = '/srv/genesis';

function source(values: Record<string, string>): ConfigSource {
  return { get: (k) => values[k], keys: () => Object.keys(values) };
}

function problemsOf(values: Record<string, string>): readonly string[] {
  try {
    readSettings(source(values), PROJECT);
  } catch (e) {
    expect(e).toBeInstanceOf(StackConfigError);
    return (e as StackConfigError).problems.map((p) => p.message);
  }
  throw new Error('expected a StackConfigError');
}

describe('readSettings', () => {
  it('reads a baseline stack', () => {
    expect(
      readSettings(source({ mode: 'baseline', cluster: 'le-gpu', context: 'le-gpu-admin' }), PROJECT),
    ).toEqual({
      mode: 'baseline',
      cluster: 'le-gpu',
      context: 'le-gpu-admin',
    });
  });

  it('reads a tenant stack and resolves paths against the project folder', () => {
    const s = readSettings(
      source({
        mode: 'tenant',
        cluster: 'le-gpu',
        tenant: 'lattice-quantum',
        clusterStack: 'acme/genesis/le-gpu',
        spec: 'specs/platform.yaml',
        tenants: '/etc/genesis/tenants',
        now: '2026-11-01',
        kubeconfig: '~/.kube/le-gpu',
        context: 'le-gpu',
      }),
      PROJECT,
    );
    expect(s).toEqual({
      mode: 'tenant',
      cluster: 'le-gpu',
      tenant: 'lattice-quantum',
      clusterStack: 'acme/genesis/le-gpu',
      spec: path.join(PROJECT, 'specs/platform.yaml'),
      tenantsDir: '/etc/genesis/tenants',
      now: '2026-11-01',
      kubeconfig: path.join(os.homedir(), '.kube/le-gpu'),
      context: 'le-gpu',
    });
  });

  it('passes kubeconfig contents through untouched', () => {
    const contents = 'apiVersion: v1\nkind: Config\nclusters: []\n';
    const s = readSettings(
      source({ mode: 'baseline', cluster: 'le-gpu', context: 'c', kubeconfig: contents }),
      PROJECT,
    );
    expect(s.kubeconfig).toBe(contents);
    expect(isKubeconfigContents(contents)).toBe(true);
    expect(isKubeconfigContents('{"apiVersion":"v1"}')).toBe(true);
    expect(isKubeconfigContents('./kube/config')).toBe(false);
  });

  it('requires a mode, a cluster and a context, and says how to set them', () => {
    const problems = problemsOf({});
    expect(problems).toEqual([
      expect.stringMatching(/^genesis:mode is required: .*`pulumi config set genesis:mode baseline`/),
      expect.stringMatching(/^genesis:cluster is required: .*`pulumi config set genesis:cluster le-gpu`/),
      expect.stringMatching(/^genesis:context is required: .*never deploys to whichever context/),
    ]);
  });

  it('rejects an unknown mode', () => {
    expect(problemsOf({ mode: 'cluster', cluster: 'le-gpu', context: 'c' })).toEqual([
      'genesis:mode must be "baseline" or "tenant", not "cluster"',
    ]);
  });

  it('requires the tenant id and the cluster stack in tenant mode', () => {
    const problems = problemsOf({ mode: 'tenant', cluster: 'le-gpu', context: 'c' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^genesis:tenant is required when genesis:mode is "tenant".*pulumi config set genesis:tenant/,
    );
    expect(problems[1]).toMatch(/^genesis:clusterStack is required when genesis:mode is "tenant"/);
  });

  it('refuses tenant-only settings on a baseline stack', () => {
    const problems = problemsOf({
      mode: 'baseline',
      cluster: 'le-gpu',
      context: 'c',
      tenant: 'aurora-ai',
      clusterStack: 'o/genesis/le-gpu',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^genesis:tenant is set but genesis:mode is "baseline"/),
      expect.stringMatching(/^genesis:clusterStack is set but genesis:mode is "baseline"/),
    ]);
  });

  it('reports misspelt keys, bad ids, empty values, bad dates and bad stack names together', () => {
    const problems = problemsOf({
      mode: 'tenant',
      cluster: 'LE_GPU',
      tenant: 'aurora-ai',
      tennant: 'aurora-ai',
      clusterStack: 'a/b/c/d',
      now: '2026-02-30',
      spec: '  ',
      context: 'c',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^genesis:tennant is not a setting of this program \(known: genesis:mode, genesis:cluster, genesis:tenant/,
      ),
      expect.stringMatching(/^genesis:cluster "LE_GPU" is not an id: must be a DNS-1123 label/),
      'genesis:clusterStack "a/b/c/d" is not a stack name; write <org>/<project>/<stack>, e.g. "acme/genesis/le-gpu"',
      expect.stringMatching(/^genesis:spec is set but empty/),
      'genesis:now "2026-02-30" must be a date written YYYY-MM-DD',
    ]);
  });

  it('formats every problem into the error message', () => {
    try {
      readSettings(source({ mode: 'tenant', cluster: 'le-gpu', context: 'c' }), PROJECT);
      throw new Error('expected a StackConfigError');
    } catch (e) {
      expect((e as Error).message).toMatch(
        /^invalid stack configuration \(2 problems\):\n {2}- genesis:tenant is required/,
      );
    }
  });
});
